-- Shared by the miltertest scripts: the socket of the gateway under test, and checks that
-- stop the script with a message naming what differed.
SOCKET = os.getenv("MILTER_SOCKET")

function check(cond, what)
  if not cond then error("FAILED: " .. what) end
end

function ok(err, what)
  if err ~= nil then error("FAILED: " .. what .. ": " .. tostring(err)) end
end

function connect()
  local conn = mt.connect(SOCKET, 20, 0.1)
  check(conn ~= nil, "mt.connect(" .. tostring(SOCKET) .. ")")
  return conn
end

GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"

-- One message: envelope, headers, body, end of message. Returns nothing; callers read replies.
function message(conn, from, rcpt, headers, body)
  ok(mt.mailfrom(conn, from), "mailfrom")
  check(mt.getreply(conn) == SMFIR_CONTINUE, "MAIL continues")
  ok(mt.rcptto(conn, rcpt), "rcptto")
  check(mt.getreply(conn) == SMFIR_CONTINUE, "RCPT continues")
  for _, h in ipairs(headers) do ok(mt.header(conn, h[1], h[2]), "header " .. h[1]) end
  ok(mt.eoh(conn), "eoh")
  ok(mt.bodystring(conn, body), "body")
  ok(mt.eom(conn), "eom")
end
