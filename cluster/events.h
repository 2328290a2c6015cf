// What one `/midonet-api/events` subscriber asked for and may see. Built by the Handler from the
// upgrade request (auth + query parameters), applied by the WebSocket session to every change.
//
// Query parameters: `since=<version>` and `epoch=<epoch>` (resume after that version of that
// journal epoch, both from earlier frames; default: only new changes),
// `type=<nsdb type>[,<type>...]` (e.g. `bridges,ports`; default all), `tenant_id=<id>` (admins
// only; a tenant user is always limited to its own tenant).
//
// Thread-safety: plain value.
#pragma once

#include "cluster/event_journal.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace midonet::cluster {

struct EventFilter {
    std::set<std::string> types;       // empty: every type
    std::optional<std::string> tenant; // nullopt: every tenant (admins only)
    std::optional<uint64_t> since;     // nullopt: start at the newest change
    std::optional<std::string> epoch;  // the journal epoch `since` belongs to (hello frame)

    bool accepts(const ChangeEvent &e) const
    {
        if (!types.empty() && !types.count(e.type)) return false;
        return !tenant || e.tenant == *tenant;
    }
};

} // namespace midonet::cluster
