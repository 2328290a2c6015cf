#include "common/store/detail/paths.h"

namespace midonet::store::detail {

namespace {

[[noreturn]] void invalid(std::string_view path, const std::string &rule)
{
    throw StoreError(StoreErrc::invalid_argument, std::string(path),
                     "'" + std::string(path) + "': " + rule);
}

bool isSegmentChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == ':' || c == '-';
}

} // namespace

void checkType(std::string_view type)
{
    if (type.empty() || type.size() > 64)
        invalid(type, "object type must be 1 to 64 characters");
    if (!(type[0] >= 'a' && type[0] <= 'z'))
        invalid(type, "object type must start with a lowercase letter");
    for (char c : type)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            invalid(type, "object type may only hold lowercase letters, digits and '_'");
}

void checkTableName(std::string_view name, std::string_view where)
{
    std::string full = std::string(where) + "/" + std::string(name);
    if (name.empty())
        invalid(full, "table name must not be empty");
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t end = name.find('/', start);
        if (end == std::string_view::npos)
            end = name.size();
        std::string_view seg = name.substr(start, end - start);
        if (seg.empty() || seg.size() > 64)
            invalid(full, "each table name segment must be 1 to 64 characters");
        if (seg == "." || seg == "..")
            invalid(full, "table name segments must not be '.' or '..'");
        for (char c : seg)
            if (!isSegmentChar(c))
                invalid(full, "table name segments may only hold letters, digits and _ . : -");
        start = end + 1;
    }
}

void checkKey(std::string_view key, std::string_view where)
{
    std::string full = std::string(where) + "/" + std::string(key);
    if (key.empty() || key.size() > 255)
        invalid(full, "key must be 1 to 255 characters");
    if (key == "." || key == "..")
        invalid(full, "key must not be '.' or '..'");
    for (unsigned char c : key)
        if (c == '/' || c < 0x20 || c == 0x7f)
            invalid(full, "key must not contain '/' or control characters");
}

void checkValue(std::size_t size, std::string_view where)
{
    if (size > kMaxValueSize)
        invalid(where, "value of " + std::to_string(size) + " bytes exceeds the limit of " +
                           std::to_string(kMaxValueSize) + " bytes");
}

void checkExpected(Version expected, std::string_view where)
{
    if (expected < kAnyVersion)
        invalid(where, "expected version " + std::to_string(expected) + " is negative (-1 means any)");
}

std::string objectPath(std::string_view type, const Uuid &id)
{
    return std::string(type) + "/" + id.toString();
}

std::string tablePath(const TableRef &t) { return objectPath(t.type, t.id) + "/" + t.name; }

std::string childPath(std::string_view parent, std::string_view key)
{
    return std::string(parent) + "/" + std::string(key);
}

ChildPaths ephemeralPaths(std::string_view type, const Uuid &id, std::string_view name)
{
    checkType(type);
    auto obj = objectPath(type, id);
    checkKey(name, obj);
    auto child = childPath(obj, name);
    return {std::move(obj), std::move(child)};
}

const char *kindName(Op::Kind k)
{
    switch (k) {
    case Op::Kind::create: return "create";
    case Op::Kind::update: return "update";
    case Op::Kind::remove: return "remove";
    case Op::Kind::check: return "check";
    }
    return "?";
}

std::string describeOp(const Op &op, std::size_t index)
{
    return "op " + std::to_string(index) + " (" + kindName(op.kind) + " " +
           objectPath(op.type, op.id) + ")";
}

void checkOps(const std::vector<Op> &ops)
{
    // One multi-op travels as one ZooKeeper packet: the sum must fit its limit too.
    std::size_t total = 0;
    for (auto &op : ops)
        total += op.data.size() + op.type.size() + 64;
    if (total > kMaxValueSize)
        invalid("multi-operation", "its " + std::to_string(ops.size()) + " ops carry about " + std::to_string(total) +
                                       " bytes, above the limit of " + std::to_string(kMaxValueSize) +
                                       " bytes for one atomic write");
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Op &op = ops[i];
        checkType(op.type);
        if ((op.kind == Op::Kind::create || op.kind == Op::Kind::update) && op.data.size() > kMaxValueSize)
            checkValue(op.data.size(), describeOp(op, i));
        if (op.kind == Op::Kind::check && op.version == kAnyVersion)
            invalid(describeOp(op, i), "a check needs an expected version");
        if (op.version < kAnyVersion)
            invalid(describeOp(op, i), "expected version " + std::to_string(op.version) + " is negative (-1 means any)");
    }
}

} // namespace midonet::store::detail
