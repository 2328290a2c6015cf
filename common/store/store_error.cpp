#include "common/store/store_error.h"

namespace midonet::store {

namespace {

class StoreCategory final : public std::error_category {
public:
    const char *name() const noexcept override { return "midonet.store"; }
    std::string message(int ev) const override
    {
        switch (static_cast<StoreErrc>(ev)) {
        case StoreErrc::not_found: return "not found";
        case StoreErrc::already_exists: return "already exists";
        case StoreErrc::version_conflict: return "version conflict";
        case StoreErrc::not_empty: return "not empty";
        case StoreErrc::connection_loss: return "connection loss";
        case StoreErrc::session_expired: return "session expired";
        case StoreErrc::invalid_argument: return "invalid argument";
        case StoreErrc::closed: return "store closed";
        case StoreErrc::backend_failure: return "backend failure";
        }
        return "unknown store error " + std::to_string(ev);
    }
};

} // namespace

const std::error_category &storeCategory() noexcept
{
    static const StoreCategory category;
    return category;
}

std::error_code make_error_code(StoreErrc e) noexcept { return {static_cast<int>(e), storeCategory()}; }

StoreError::StoreError(StoreErrc code, std::string path, const std::string &message, int opIndex)
    : std::system_error(make_error_code(code), message), path_(std::move(path)), opIndex_(opIndex)
{
}

} // namespace midonet::store
