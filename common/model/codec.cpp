#include "common/model/codec.h"

namespace midonet::model {

std::string_view kindName(FieldKind k)
{
    switch (k) {
    case FieldKind::Bool: return "boolean";
    case FieldKind::Int: return "integer";
    case FieldKind::Long: return "long";
    case FieldKind::String: return "string";
    case FieldKind::Uuid: return "uuid";
    case FieldKind::Mac: return "mac";
    case FieldKind::IPv4: return "ipv4";
    case FieldKind::Cidr: return "cidr";
    case FieldKind::Enum: return "enum";
    case FieldKind::Object: return "object";
    case FieldKind::Array: return "array";
    }
    return "unknown";
}

const FieldInfo *SchemaInfo::find(std::string_view fieldName) const
{
    for (const auto &f : fields)
        if (f.name == fieldName) return &f;
    return nullptr;
}

namespace {

// nlohmann's parser keeps its own stack, but deep documents still cost memory and time; refuse
// them up front with a message a user understands.
void checkDepth(std::string_view text)
{
    int depth = 0;
    bool inString = false, escaped = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (inString) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') inString = true;
        else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth)
                throw ValidationError::malformed("Malformed JSON: nesting deeper than " +
                                                 std::to_string(kMaxDepth) + " levels at byte " +
                                                 std::to_string(i));
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
}

} // namespace

json parseJson(std::string_view text)
{
    if (text.size() > kMaxDocumentBytes)
        throw ValidationError::malformed("Malformed JSON: document larger than " +
                                         std::to_string(kMaxDocumentBytes) + " bytes");
    checkDepth(text);
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::exception &e) {
        // e.what() reads "[json.exception.parse_error.101] parse error at line 1, column 5: ..."
        std::string what = e.what();
        auto pos = what.find("] ");
        throw ValidationError::malformed("Malformed JSON: " +
                                         (pos == std::string::npos ? what : what.substr(pos + 2)));
    }
}

namespace detail {

std::string quote(const json &j)
{
    std::string s = j.is_string() ? j.get<std::string>() : j.dump(-1, ' ', true,
                                                                 json::error_handler_t::replace);
    if (s.size() > 64) {
        s.resize(61);
        // Keep the message valid UTF-8: drop a character the cut left incomplete.
        size_t lead = s.size();
        while (lead > 0 && (static_cast<unsigned char>(s[lead - 1]) & 0xC0) == 0x80) --lead;
        if (lead > 0) {
            auto c = static_cast<unsigned char>(s[lead - 1]);
            size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (s.size() - (lead - 1) < need) s.resize(lead - 1);
        }
        s += "...";
    }
    return "'" + s + "'";
}

size_t utf8Length(std::string_view s)
{
    size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

void decodeValue(const json &j, std::string &v, const Ctx &c)
{
    if (!j.is_string()) return c.fail("must be a string");
    const auto &s = j.get_ref<const std::string &>();
    size_t lo = c.info.minLength.value_or(0);
    size_t hi = c.info.maxLength.value_or(std::string::npos);
    size_t n = utf8Length(s);
    if (n < lo || n > hi)
        return c.fail("size must be between " + std::to_string(lo) + " and " +
                      std::to_string(hi));
    v = s;
}

void decodeValue(const json &j, util::Uuid &v, const Ctx &c)
{
    std::optional<util::Uuid> u;
    if (j.is_string()) u = util::Uuid::parse(j.get_ref<const std::string &>());
    if (!u) return c.fail(quote(j) + " is not a valid UUID");
    v = *u;
}

void decodeValue(const json &j, util::MacAddress &v, const Ctx &c)
{
    std::optional<util::MacAddress> m;
    if (j.is_string()) m = util::MacAddress::parse(j.get_ref<const std::string &>());
    if (!m) return c.fail(quote(j) + " is an invalid MAC format (expected xx:xx:xx:xx:xx:xx)");
    v = *m;
}

void decodeValue(const json &j, util::IPv4Address &v, const Ctx &c)
{
    std::optional<util::IPv4Address> a;
    if (j.is_string()) a = util::IPv4Address::parse(j.get_ref<const std::string &>());
    if (!a) return c.fail(quote(j) + " is an invalid IP format");
    v = *a;
}

void decodeValue(const json &j, util::IPv4Subnet &v, const Ctx &c)
{
    std::optional<util::IPv4Subnet> s;
    if (j.is_string()) {
        const auto &t = j.get_ref<const std::string &>();
        // A CIDR field wants the length written out; the bare-address form is the CLI's.
        if (t.find('/') != std::string::npos) s = util::IPv4Subnet::parse(t);
    }
    if (!s) return c.fail(quote(j) + " is an invalid CIDR format (expected a.b.c.d/n, n 0-32)");
    v = *s;
}

std::string enumMessage(const json &j, const std::vector<std::string> &accepted)
{
    std::string m = quote(j) + " is not one of: ";
    for (size_t i = 0; i < accepted.size(); ++i) m += (i ? ", " : "") + accepted[i];
    return m;
}

} // namespace detail
} // namespace midonet::model
