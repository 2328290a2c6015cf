// The gateway library's one always-present source.
namespace midonet::gateway {
const char *version() { return "0.1.0"; }
} // namespace midonet::gateway
