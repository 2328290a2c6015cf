// The simulation library's one always-present source.
namespace midonet::sim {
const char *version() { return "0.1.0"; }
} // namespace midonet::sim
