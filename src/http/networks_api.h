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
// The analysis is computed from the store (linking/network_source.h: edges
// from reports and from stored chat logs) and kept in the server's
// NetworkCache (network_cache.h), which the chat-log answers share.
#pragma once

#include <functional>
#include <memory>

#include "core/result.h"
#include "http/auth.h"
#include "http/network_cache.h"
#include "http/router.h"
#include "store/database.h"

namespace sg::http {

void AddNetworkRoutes(Router& router, ConnectionSource connection, std::shared_ptr<NetworkCache> cache);

}  // namespace sg::http
