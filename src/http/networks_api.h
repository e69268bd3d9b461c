// The networks resource of the HTTP API (analysts and admins: permission
// person.read, as networks are made of persons):
//
//   GET /api/v1/networks?limit=N&offset=K   ranked by risk, highest first:
//        {"total", "networks": [summary...]} (linking/network_export.h)
//   GET /api/v1/networks/{id}               nodes, edges and their evidence
//   GET /api/v1/networks/{id}.graphml       GraphML (also ?format=graphml)
//   GET /api/v1/networks/{id}.nodes.csv     nodes.csv (also ?format=nodes.csv)
//   GET /api/v1/networks/{id}.edges.csv     edges.csv (also ?format=edges.csv)
//
// Every answer that shows networks appends one audit entry (network.read,
// object the network id or "*" for the list) before it is sent.
//
// The analysis is computed from the store (linking/network_source.h) and
// kept in a cache shared by the server's threads, valid while the
// persons' mentions are unchanged (a fingerprint of report_persons) and
// for at most kCacheSeconds (the recency term moves with the clock). The
// cache is derived data only: another server process computes the same.
#pragma once

#include <functional>

#include "core/result.h"
#include "http/auth.h"
#include "http/router.h"
#include "store/database.h"

namespace sg::http {

void AddNetworkRoutes(Router& router, ConnectionSource connection);

}  // namespace sg::http
