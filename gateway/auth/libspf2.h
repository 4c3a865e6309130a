// libspf2's headers need these first and lack extern "C".
#pragma once
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>
extern "C" {
#include <spf2/spf.h>
#include <spf2/spf_dns.h>
}
