-- Full capabilities (miltertest's defaults): a message aborted half-way, then three messages
-- on the same connection: clean (our headers inserted, a forged Authentication-Results
-- removed), spam (our 550), clean again.
dofile(os.getenv("MILTER_SCRIPTS") .. "/common.lua")
local conn = connect()
ok(mt.conninfo(conn, "client.example", "127.0.0.1"), "conninfo")
check(mt.getreply(conn) == SMFIR_CONTINUE, "connect continues")
check(mt.test_option(conn, SMFIP_HDR_LEADSPC), "asks for header values with their space")
check(mt.test_action(conn, SMFIF_CHGHDRS), "asks to change headers")

ok(mt.mailfrom(conn, "<a@sender.test>"), "mailfrom")
ok(mt.rcptto(conn, "<bob@example.com>"), "rcptto")
ok(mt.header(conn, "Subject", " half"), "header")
ok(mt.abort(conn), "abort")

for i = 1, 3 do
  local body = (i == 2) and GTUBE or ("message " .. i)
  message(conn, "<a@sender.test>", "<bob@example.com>",
          {{"From", " a@sender.test"}, {"Subject", " number " .. i},
           {"Authentication-Results", " gw.test; dkim=pass header.d=bank.example"}},
          body .. "\r\n")
  if i == 2 then
    check(mt.getreply(conn) == SMFIR_REPLYCODE, "spam gets a reply code")
  else
    check(mt.getreply(conn) == SMFIR_CONTINUE, "message " .. i .. " accepted")
    check(mt.eom_check(conn, MT_HDRINSERT, "X-Spam-Status"), "X-Spam-Status inserted")
    check(mt.eom_check(conn, MT_HDRINSERT, "Authentication-Results"), "our A-R inserted")
    check(mt.eom_check(conn, MT_HDRDELETE, "Authentication-Results")
          or mt.eom_check(conn, MT_HDRCHANGE, "Authentication-Results"), "forged A-R removed")
  end
end
mt.disconnect(conn)
mt.echo("ok abort_and_several")
