// The agent library's one always-present source; the version string every agent reports.
namespace midonet::agent {
const char *version() { return "0.1.0"; }
} // namespace midonet::agent
