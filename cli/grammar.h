// The object-type table of midonet-cli: one ObjectType per kind of MidoNet object the CLI can
// address (bridge, router port, rule, tunnel-zone member, ...), with its CLI collection name,
// alias prefix, REST media types, where it hangs in the API (root collection key, item
// template, link key in its parent) and its fields (CLI name, API name, value kind, read-only).
//
// Everything that knows about object types reads this one table: the parser (which words are
// collections and fields), the executor (which URL, media type and JSON key), the output
// formatter (field order), `describe`, `help` and tab completion. Adding an object type or a
// field is one row here and nothing else.
//
// Invariants:
//  - type ids are unique; every ChildSpec::typeId and FieldSpec::refType names a type in the table;
//  - within a type, CLI field names are unique and no field name equals a child collection name
//    (the parser relies on this to tell `bridge bridge0 port ...` from a field);
//  - a type with an empty aliasPrefix has no id: it is addressed by field filters and listed as
//    bare field/value pairs (tunnel-zone member, host interface, binding, DHCP subnet, tenant...);
//  - the root pseudo-type ("root") has no fields, only children.
//
// Thread-safety: the table is built once on first use (function-local static) and is immutable
// afterwards, so any thread may read it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace midonet::cli {

// How a field's CLI text maps to and from its API JSON value (reference A5).
enum class FieldKind {
    String,         // JSON string
    Int,            // JSON integer, decimal input
    Bool,           // exactly true / false
    State,          // up / down  <-> boolean (adminStateUp)
    YesNo,          // yes / no   <-> boolean
    Enum,           // one of FieldSpec::enums (CLI word <-> API word)
    Mac,            // xx:xx:xx:xx:xx:xx
    MacMask,        // xxxx.xxxx.xxxx on the CLI, xx:xx:xx:xx:xx:xx in the API
    IPv4,           // dotted quad
    Cidr,           // a.b.c.d[/n] <-> two API fields: api (address) and api2 (length)
    CidrList,       // comma list of CIDRs <-> JSON array of "a.b.c.d/n" strings
    StringList,     // comma list <-> JSON array of strings
    L4Range,        // N or N-M <-> {"start":N,"end":M}
    NatTargets,     // A[-B][:P[-Q]],... <-> [{addressFrom,addressTo,portFrom,portTo}]
    Ref,            // alias / UUID / composite alias <-> UUID string of refType
    RefList,        // comma list of references <-> JSON array of UUIDs
    Flow,           // fwd-flow / return-flow <-> matchForwardFlow / matchReturnFlow
    ContainerLimit, // integer or no-limit (-1)
    TraceDevice,    // a reference that also sets api2 (deviceType) to FieldSpec::fixed
    Peer,           // router/bridge port peer: set links, clear unlinks (not a PUT field)
    IpVersionAddr,  // an IPv4 or IPv6 address; writing it also sets "version" 4|6
    Present,        // read-only yes/no: whether the API field is non-null (port "plugged")
};

struct EnumValue {
    std::string cli; // what the user types and sees
    std::string api; // what goes on the wire
};

struct FieldSpec {
    std::string cli;            // "infilter"
    std::string api;            // "inboundFilterId"; may be dotted for nested objects
    FieldKind kind = FieldKind::String;
    bool readOnly = false;      // writing it prints "'<f> is a read-only attribute.'"
    std::string api2;           // Cidr: length field; TraceDevice: the device-type field
    std::string inv;            // API flag set by a leading '!' (empty: not invertible)
    std::string refType;        // Ref/RefList/TraceDevice/Peer: the referenced type id
    std::vector<EnumValue> enums;
    std::string fixed;          // TraceDevice: value written to api2
    bool clearable = false;     // `clear` may null it (references, optional numbers)
    bool hideFalse = false;     // a false boolean is not printed (rule condition flags)
};

struct ChildSpec {
    std::string cli;    // collection word under the parent: "port", "rule", "member"
    std::string typeId; // ObjectType::id of the children
    std::string link;   // JSON key of the parent holding the collection URI ("ports")
};

struct ObjectType {
    std::string id;             // unique: "bridge", "bridge-port", "tz-member"
    std::string cli;            // word starting a listed line: "bridge", "port", "member"
    std::string aliasPrefix;    // "bridge", "port", "pgroup"; empty = no id, no alias
    std::string mediaType;      // item type name: "Bridge-v4" (-> application/vnd.org.midonet.Bridge-v4+json)
    std::string collectionType; // collection type name if it differs from mediaType
    std::string rootKey;        // key of the root resource holding the top-level collection
    std::string templateKey;    // key of the root resource holding the item template ("{id}")
    std::string parentField;    // API field holding the parent's id ("deviceId", "chainId")
    std::string parentLink;     // API link to the parent, used when parentField is absent
    std::string parentType;     // ObjectType::id of the parent (aliases live in its namespace)
    std::vector<FieldSpec> fields;
    std::vector<ChildSpec> children;
    std::string fixedOnCreate;  // JSON object merged into every create body ({"type":"Bridge"})
    bool tenantOnCreate = false; // create sets tenantId from the session tenant
    bool tenantFilter = false;   // top-level list sends ?tenant_id= when a tenant is set
    bool sortByPosition = false; // chain rules print in "position" order
    bool singleton = false;      // system-state: one object, no id
    bool polymorphic = false;    // "port" at the root: the concrete type follows JSON "type"

    bool hasId() const { return !aliasPrefix.empty(); }
    const FieldSpec *field(std::string_view cliName) const;
    const ChildSpec *child(std::string_view cliName) const;
    std::string itemMediaType() const;       // full vendor string
    std::string collectionMediaType() const; // full vendor string
};

// The table. rootType() has id "root" and lists the top-level collections.
const std::vector<ObjectType> &objectTypes();
const ObjectType &rootType();
// nullptr when unknown.
const ObjectType *findType(std::string_view id);
// For a polymorphic type, the concrete type an API object belongs to (ports: JSON "type"
// Bridge/Router); otherwise `type` itself.
const ObjectType &concreteType(const ObjectType &type, std::string_view apiTypeField);

// "application/vnd.org.midonet.<name>+json" and the collection form.
std::string vendorType(std::string_view name);
std::string vendorCollectionType(std::string_view name);

} // namespace midonet::cli
