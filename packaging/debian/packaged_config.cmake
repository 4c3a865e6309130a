# Writes the package's /etc/portcullis/portcullis.toml: the source tree's shipped config with
# the paths of the Debian layout. Each replacement must match, so that an edit to the shipped
# config cannot silently leave a source-tree path in the package.
# cmake -DIN=packaging/portcullis.toml -DOUT=... -P packaged_config.cmake
file(READ "${IN}" text)
set(pairs
  "downstream = \"maildir:./var/maildir\"|downstream = \"maildir:/var/lib/portcullis/maildir\""
  "store = \"lmdb:./var/reputation\"|store = \"lmdb:/var/lib/portcullis/reputation\""
  "paths = [\"builtin:shipped\"]|paths = [\"builtin:shipped\", \"/etc/portcullis/rules.d\"]"
  "cache_dir = \"./var/cache/rules\"|cache_dir = \"/var/lib/portcullis/rules-cache\""
  "dir = \"./var/quarantine\"|dir = \"/var/lib/portcullis/quarantine\""
  "# user = \"portcullis\"|user = \"portcullis\""
  "# group = \"portcullis\"|group = \"portcullis\"")
foreach(pair IN LISTS pairs)
  string(REPLACE "|" ";" parts "${pair}")
  list(GET parts 0 from)
  list(GET parts 1 to)
  string(FIND "${text}" "${from}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "packaged config: '${from}' not found in ${IN}")
  endif()
  string(REPLACE "${from}" "${to}" text "${text}")
endforeach()
file(WRITE "${OUT}" "${text}")
