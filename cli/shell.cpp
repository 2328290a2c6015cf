#include "cli/shell.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "common/util/uuid.h"

namespace midonet::cli {

namespace {

// Mistakes in what the user typed that are not syntax: "User error: '<msg>'".
class UserError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};
// Printed as it is (MidoNet prints "Field X cannot be cleared." without a prefix).
class PlainError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

std::string join(const std::vector<std::string> &words, const char *sep = " ")
{
    std::string out;
    for (const auto &w : words) {
        if (!out.empty()) out += sep;
        out += w;
    }
    return out;
}

std::string str(const Json &obj, const std::string &key)
{
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Names in columns, as Python's cmd.columnize lays out describe/help lists.
void columns(std::ostream &out, const std::vector<std::string> &names)
{
    if (names.empty()) {
        out << "  <NONE>\n";
        return;
    }
    size_t width = 0;
    for (const auto &n : names) width = std::max(width, n.size());
    width += 2;
    size_t perLine = std::max<size_t>(1, 78 / width);
    for (size_t i = 0; i < names.size(); ++i) {
        if (i % perLine == 0) out << "  ";
        out << names[i];
        bool last = i + 1 == names.size() || (i + 1) % perLine == 0;
        if (last) out << '\n';
        else out << std::string(width - names[i].size(), ' ');
    }
}

bool isRefKind(FieldKind k)
{
    return k == FieldKind::Ref || k == FieldKind::Peer || k == FieldKind::TraceDevice || k == FieldKind::RefList;
}

struct HelpEntry {
    const char *command;
    const char *usage;
};

const std::vector<HelpEntry> &helpEntries()
{
    static const std::vector<HelpEntry> entries = {
        {"list", "list [PATH] COLLECTION [FIELD VALUE ...]\n"
                 "PATH list COLLECTION | [PATH] COLLECTION list [FIELD VALUE ...]\n"
                 "  Lists a collection, one object per line; FIELD VALUE pairs filter it.\n"
                 "  Example: bridge list; router router0 port list; bridge list name front"},
        {"show", "show PATH [FIELD] | PATH show [FIELD] | PATH FIELD show\n"
                 "  Shows one object, or one field (a reference shows the referenced object).\n"
                 "  Example: bridge bridge0 show; system-state show state"},
        {"create", "create PATH COLLECTION [FIELD VALUE ...] | PATH add COLLECTION [FIELD VALUE ...] |\n"
                   "PATH COLLECTION create [FIELD VALUE ...]\n"
                   "  Creates an object and prints its alias.\n"
                   "  Example: bridge create name front; router router0 add port addresses 10.0.0.1/24"},
        {"add", "add: the same as create. Example: chain chain0 add rule type accept dst 10.0.0.0/8"},
        {"set", "set PATH FIELD VALUE [...] | PATH set FIELD VALUE [...]\n"
                "  Changes fields (the whole object is written back). Setting a port's peer links it.\n"
                "  Example: bridge bridge0 port port0 set peer router0:port0"},
        {"clear", "clear PATH FIELD [...] | PATH clear FIELD [...]\n"
                  "  Clears reference and optional fields. Clearing a port's peer unlinks it."},
        {"delete", "delete PATH | PATH delete | PATH delete COLLECTION ID\n"
                   "  Example: bridge bridge0 delete; chain chain0 delete rule rule1"},
        {"describe", "describe [PATH] [COLLECTION] | PATH describe\n"
                     "  Prints the collections and fields of an object type."},
        {"sett", "sett TENANT_ID\n  Sets the session tenant (new routers, bridges, chains and port groups get it;\n"
                 "  top-level lists are filtered by it)."},
        {"cleart", "cleart\n  Clears the session tenant."},
        {"debug", "debug on|off\n  Prints every HTTP request and response (on stderr)."},
        {"help", "help [COMMAND|OBJECT]"},
        {"exit", "exit: leaves the CLI (also quit, or end of input)."},
        {"quit", "quit: leaves the CLI (also exit, or end of input)."},
    };
    return entries;
}

bool looksLikeTenantId(const std::string &t)
{
    return t.size() == 32 && std::all_of(t.begin(), t.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

} // namespace

Shell::Shell(ApiClient &api, std::ostream &out, ShellOptions options)
    : api_(api), out_(out), options_(std::move(options))
{
}

// ---- running lines ---------------------------------------------------------------------------

bool Shell::execute(std::string_view line)
{
    cache_.clear();
    try {
        auto words = tokenize(line);
        if (words.empty()) return true;
        const auto &first = words.front();
        if (first == "exit" || first == "quit") {
            exit_ = true;
            return true;
        }
        if (first == "help") {
            doHelp(words);
            return true;
        }
        if (first == "sett" || first == "cleart") {
            doTenant(words);
            return true;
        }
        if (first == "debug") {
            if (words.size() != 2 || (words[1] != "on" && words[1] != "off")) throw MissingArguments();
            debug_ = words[1] == "on";
            if (debug_) {
                api_.setTrace([](const HttpRequest &rq, const HttpResponse &rs) {
                    spdlog::debug("{} {} -> {} {}", rq.method, rq.url, rs.status, rs.body);
                });
                spdlog::set_level(spdlog::level::debug);
            } else {
                api_.setTrace(nullptr);
                spdlog::set_level(spdlog::level::warn);
            }
            out_ << (debug_ ? "turned on debug mode\n" : "turned off debug mode\n");
            return true;
        }
        run(parseCommand(words));
        return true;
    } catch (const QuoteError &e) {
        out_ << e.what() << '\n';
    } catch (const SyntaxError &e) {
        out_ << e.what() << '\n';
    } catch (const MissingArguments &e) {
        out_ << e.what() << '\n';
    } catch (const UserError &e) {
        out_ << "User error: '" << e.what() << "'\n";
    } catch (const PlainError &e) {
        out_ << e.what() << '\n';
    } catch (const AuthError &e) {
        spdlog::debug("401: {}", e.what());
        out_ << "Invalid credential. Wrong username/password. Bye.\n";
        throw SessionEnd(1);
    } catch (const TransportError &e) {
        spdlog::debug("transport: {}", e.what());
        out_ << "Connection to MidoNet API server refused.\nBye.\n";
        throw SessionEnd(1);
    } catch (const std::exception &e) { // ApiError, ValueError and the unexpected
        out_ << "Internal error: " << e.what() << '\n';
    }
    return false;
}

void Shell::run(const Command &cmd)
{
    switch (cmd.verb) {
    case Verb::List: doList(cmd); break;
    case Verb::Show: doShow(cmd); break;
    case Verb::Create: doCreate(cmd); break;
    case Verb::Set: doSet(cmd); break;
    case Verb::Clear: doClear(cmd); break;
    case Verb::Delete: doDelete(cmd); break;
    case Verb::Describe: doDescribe(cmd); break;
    case Verb::None: throw MissingArguments();
    }
}

// ---- resolving paths and aliases ---------------------------------------------------------------

Json Shell::fetch(const std::string &url, const std::string &accept)
{
    if (auto it = cache_.find(url); it != cache_.end()) return it->second;
    auto obj = api_.get(url, accept);
    cache_[url] = obj;
    return obj;
}

std::string Shell::tokenToUuid(const std::string &token, const std::string &ns)
{
    if (token.find(':') != std::string::npos) {
        if (auto id = aliases_.resolveChain(token)) return *id;
    }
    if (auto id = aliases_.lookup(ns, token)) return *id;
    if (auto u = util::Uuid::parse(token)) return u->toString();
    return token; // MidoNet treats an unknown word as a UUID: the API answers 404
}

std::string Shell::parentIdOf(const ObjectType &type, const Json &obj) const
{
    if (!type.parentField.empty())
        if (auto id = str(obj, type.parentField); !id.empty()) return id;
    if (!type.parentLink.empty()) {
        auto uri = str(obj, type.parentLink);
        if (auto slash = uri.rfind('/'); slash != std::string::npos) return uri.substr(slash + 1);
    }
    return {};
}

void Shell::ensureAliased(const std::string &typeId, const std::string &uuid)
{
    if (aliases_.has(uuid)) return;
    const ObjectType *type = findType(typeId);
    if (!type || !type->hasId()) return;
    if (type->parentType.empty()) {
        aliases_.assign("", type->aliasPrefix, uuid);
        return;
    }
    // A child (port, route, rule...): its parent decides its namespace, so read it.
    auto obj = fetch(api_.itemUrl(type->templateKey, uuid), type->itemMediaType());
    aliasOf(concreteType(*type, str(obj, "type")), obj, "");
}

std::string Shell::aliasOf(const ObjectType &type, const Json &obj, const std::string &contextParent)
{
    if (!type.hasId()) return {};
    auto uuid = str(obj, "id");
    if (!options_.aliases || uuid.empty()) return uuid;
    if (type.parentType.empty()) return aliases_.assign("", type.aliasPrefix, uuid);
    auto parent = parentIdOf(type, obj);
    if (parent.empty()) parent = contextParent;
    if (parent.empty()) return aliases_.assign("", type.aliasPrefix, uuid);
    try {
        ensureAliased(type.parentType, parent);
    } catch (const ApiError &) {
        // The parent cannot be read (deleted meanwhile): the child still gets its alias.
    }
    return aliases_.assign(parent, type.aliasPrefix, uuid);
}

std::optional<std::string> Shell::resolveRef(const std::string &typeId, const std::string &token)
{
    // "chain chain0": a root path (the parser joins the two words); the id part decides.
    if (auto space = token.find(' '); space != std::string::npos) {
        const ChildSpec *coll = rootType().child(token.substr(0, space));
        const ObjectType *want = findType(typeId);
        if (!coll || !want || findType(coll->typeId)->aliasPrefix != want->aliasPrefix) return std::nullopt;
        return resolveRef(typeId, token.substr(space + 1));
    }
    if (token.find(':') != std::string::npos) return aliases_.resolveChain(token);
    if (auto id = aliases_.lookup("", token)) return id;
    if (auto u = util::Uuid::parse(token)) return u->toString();
    return std::nullopt;
}

std::string Shell::displayRef(const std::string &typeId, const std::string &uuid)
{
    if (!options_.aliases) return uuid;
    try {
        ensureAliased(typeId, uuid);
    } catch (const ApiError &) {
        return uuid; // dangling reference: show what the API holds
    }
    return aliases_.display(uuid);
}

Json Shell::listChildren(const std::vector<Resolved> &parents, const ChildSpec &child, const ObjectType &type)
{
    std::string url;
    if (parents.empty()) {
        url = api_.rootLink(type.rootKey);
        if (type.tenantFilter && !options_.tenant.empty())
            url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("tenant_id=") + options_.tenant;
    } else {
        url = str(parents.back().obj, child.link);
        if (url.empty()) throw ApiError(0, "the object has no '" + child.link + "' link");
    }
    auto items = api_.list(url, type.collectionMediaType());
    if (type.sortByPosition)
        std::stable_sort(items.begin(), items.end(),
                         [](const Json &a, const Json &b) { return a.value("position", 0) < b.value("position", 0); });
    return items;
}

bool Shell::matches(const ObjectType &type, const Json &obj, const std::vector<FieldArg> &filter)
{
    for (const auto &f : filter) {
        // Compare canonical texts: write the wanted value into scratch JSON and print it back,
        // so 10.0.0.1/32 matches 10.0.0.1 and aliases match UUIDs.
        Json scratch = Json::object();
        writeField(*f.field, f.value, scratch, *this);
        const FieldSpec *own = type.field(f.field->cli);
        if (!own) return false;
        if (formatField(*own, obj, *this) != formatField(*f.field, scratch, *this)) return false;
    }
    return true;
}

std::vector<Shell::Resolved> Shell::resolvePath(const std::vector<PathElem> &path)
{
    std::vector<Resolved> out;
    for (const auto &e : path) {
        std::string parentUuid = out.empty() ? std::string() : out.back().uuid;
        if (e.type->singleton) {
            out.push_back({e.type, fetch(api_.rootLink(e.type->rootKey), e.type->itemMediaType()), ""});
            continue;
        }
        if (!e.filter.empty()) {
            auto items = listChildren(out, *e.child, *e.type);
            std::vector<Json> hits;
            for (const auto &item : items) {
                const auto &concrete = concreteType(*e.type, str(item, "type"));
                if (matches(concrete, item, e.filter)) hits.push_back(item);
            }
            if (hits.size() != 1) {
                std::vector<std::string> words{e.child->cli};
                for (const auto &f : e.filter) {
                    words.push_back(f.field->cli);
                    words.push_back(f.value);
                }
                throw SyntaxError(join(words));
            }
            const auto &concrete = concreteType(*e.type, str(hits[0], "type"));
            aliasOf(concrete, hits[0], parentUuid);
            out.push_back({&concrete, hits[0], str(hits[0], "id")});
            continue;
        }
        std::string uuid = tokenToUuid(e.id, parentUuid);
        std::string url;
        if (!e.type->templateKey.empty()) {
            url = api_.itemUrl(e.type->templateKey, uuid);
        } else {
            url = out.empty() ? api_.rootLink(e.type->rootKey) : str(out.back().obj, e.child->link);
            url += "/" + uuid;
        }
        auto obj = fetch(url, e.type->itemMediaType());
        const auto &concrete = concreteType(*e.type, str(obj, "type"));
        aliasOf(concrete, obj, parentUuid);
        auto id = str(obj, "id");
        out.push_back({&concrete, obj, id.empty() ? uuid : id});
    }
    return out;
}

std::string Shell::formatLine(const ObjectType &type, const Json &obj, const std::string &contextParent)
{
    std::vector<std::string> words;
    if (type.hasId()) {
        words.push_back(type.cli);
        words.push_back(aliasOf(type, obj, contextParent));
    }
    for (const auto &f : type.fields)
        if (auto v = formatField(f, obj, *this)) {
            words.push_back(f.cli);
            words.push_back(*v);
        }
    return join(words);
}

void Shell::applyArgs(const std::vector<FieldArg> &args, Json &obj, std::vector<const FieldArg *> &peers)
{
    for (const auto &a : args) {
        if (a.field->readOnly) throw UserError(a.field->cli + " is a read-only attribute.");
        if (a.field->kind == FieldKind::Peer) peers.push_back(&a);
        else writeField(*a.field, a.value, obj, *this);
    }
}

void Shell::link(const Json &port, const std::string &peerText)
{
    auto peer = resolveRef("port", peerText);
    if (!peer) throw ValueError("peer", peerText);
    // MidoNet's client posts the whole port document with peerId set (REST §6.12).
    Json body = port;
    body["peerId"] = *peer;
    auto url = str(port, "link");
    if (url.empty()) url = str(port, "uri") + "/link";
    api_.post(url, vendorType("PortLink-v1"), body);
}

// ---- verbs ----------------------------------------------------------------------------------

void Shell::doList(const Command &cmd)
{
    auto parents = resolvePath(cmd.path);
    std::string parentUuid = parents.empty() ? std::string() : parents.back().uuid;
    auto items = listChildren(parents, *cmd.collectionChild, *cmd.collection);
    Json shown = Json::array();
    for (const auto &item : items) {
        const auto &concrete = concreteType(*cmd.collection, str(item, "type"));
        if (!matches(concrete, item, cmd.args)) continue;
        if (options_.json) shown.push_back(item);
        else out_ << formatLine(concrete, item, parentUuid) << '\n';
    }
    if (options_.json) out_ << shown.dump(2) << '\n';
}

void Shell::doShow(const Command &cmd)
{
    auto parents = resolvePath(cmd.path);
    const auto &target = parents.back();
    std::string parentUuid = parents.size() > 1 ? parents[parents.size() - 2].uuid : std::string();
    if (cmd.showId) {
        out_ << target.uuid << '\n';
        return;
    }
    if (cmd.fields.empty()) {
        if (options_.json) out_ << target.obj.dump(2) << '\n';
        else out_ << formatLine(*target.type, target.obj, parentUuid) << '\n';
        return;
    }
    const FieldSpec *f = target.type->field(cmd.fields.front()->cli);
    if (!f) f = cmd.fields.front();
    if (options_.json) {
        const Json *v = getPath(target.obj, f->api);
        out_ << (v ? v->dump() : "null") << '\n';
        return;
    }
    auto text = formatField(*f, target.obj, *this);
    if (!text) return;
    if (isRefKind(f->kind) && f->kind != FieldKind::RefList) {
        // A reference shows the object it points at.
        const Json *id = getPath(target.obj, f->api);
        const ObjectType *refType = findType(f->refType);
        if (id && id->is_string() && refType && !refType->templateKey.empty()) {
            auto obj = fetch(api_.itemUrl(refType->templateKey, id->get<std::string>()), refType->itemMediaType());
            out_ << formatLine(concreteType(*refType, str(obj, "type")), obj, "") << '\n';
            return;
        }
    }
    out_ << *text << '\n';
}

void Shell::doCreate(const Command &cmd)
{
    auto parents = resolvePath(cmd.path);
    const ObjectType &type = *cmd.collection;
    std::string parentUuid = parents.empty() ? std::string() : parents.back().uuid;
    Json body = type.fixedOnCreate.empty() ? Json::object() : Json::parse(type.fixedOnCreate);
    if (type.tenantOnCreate && !options_.tenant.empty()) body["tenantId"] = options_.tenant;
    if (!parentUuid.empty() && !type.parentField.empty()) body[type.parentField] = parentUuid;
    std::vector<const FieldArg *> peers;
    applyArgs(cmd.args, body, peers);

    std::string url;
    if (parents.empty()) url = api_.rootLink(type.rootKey);
    else {
        url = str(parents.back().obj, cmd.collectionChild->link);
        if (url.empty()) throw ApiError(0, "the object has no '" + cmd.collectionChild->link + "' link");
    }
    auto obj = api_.create(url, type.itemMediaType(), body);
    for (const auto *p : peers) link(obj, p->value);
    const auto &concrete = concreteType(type, str(obj, "type"));
    if (options_.json) {
        out_ << obj.dump(2) << '\n';
    } else if (concrete.hasId()) {
        auto alias = aliasOf(concrete, obj, parentUuid);
        out_ << (options_.aliases ? aliases_.display(str(obj, "id")) : alias) << '\n';
    } else {
        out_ << formatLine(concrete, obj, parentUuid) << '\n';
    }
}

void Shell::doSet(const Command &cmd)
{
    auto parents = resolvePath(cmd.path);
    const auto &target = parents.back();
    Json obj = target.obj;
    std::vector<const FieldArg *> peers;
    applyArgs(cmd.args, obj, peers);
    if (peers.size() < cmd.args.size()) obj = api_.update(obj, target.type->itemMediaType());
    for (const auto *p : peers) link(obj, p->value);
}

void Shell::doClear(const Command &cmd)
{
    auto parents = resolvePath(cmd.path);
    const auto &target = parents.back();
    for (const auto *f : cmd.fields)
        if (!f->clearable) throw PlainError("Field " + f->cli + " cannot be cleared.");
    Json obj = target.obj;
    bool put = false, unlink = false;
    for (const auto *f : cmd.fields) {
        if (f->kind == FieldKind::Peer) unlink = true;
        else {
            clearField(*f, obj);
            put = true;
        }
    }
    if (put) obj = api_.update(obj, target.type->itemMediaType());
    if (unlink) {
        auto url = str(obj, "link");
        api_.remove(url.empty() ? str(obj, "uri") + "/link" : url);
    }
}

void Shell::doDelete(const Command &cmd)
{
    auto parents = resolvePath(cmd.path);
    auto uri = str(parents.back().obj, "uri");
    if (uri.empty()) throw ApiError(0, "the object has no uri to delete");
    api_.remove(uri);
}

void Shell::doDescribe(const Command &cmd)
{
    const ObjectType &t = cmd.target();
    std::vector<std::string> colls, fields;
    for (const auto &c : t.children) colls.push_back(c.cli);
    for (const auto &f : t.fields) fields.push_back(f.cli);
    out_ << "Object collections:\n";
    columns(out_, colls);
    out_ << "Fields:\n";
    columns(out_, fields);
}

void Shell::doHelp(const std::vector<std::string> &words)
{
    if (words.size() == 1) {
        out_ << "Commands (type help <command> or help <object>):\n";
        std::vector<std::string> names;
        for (const auto &e : helpEntries()) names.push_back(e.command);
        columns(out_, names);
        out_ << "Objects:\n";
        std::vector<std::string> objs;
        for (const auto &c : rootType().children) objs.push_back(c.cli);
        columns(out_, objs);
        return;
    }
    for (const auto &e : helpEntries())
        if (words[1] == e.command) {
            out_ << e.usage << '\n';
            return;
        }
    if (auto v = verbOf(words[1])) {
        for (const auto &e : helpEntries())
            if (std::string(e.command) == verbName(*v)) {
                out_ << e.usage << '\n';
                return;
            }
    }
    for (const auto &c : rootType().children)
        if (words[1] == c.cli) {
            Command cmd;
            cmd.collection = findType(c.typeId);
            out_ << words[1] << ": a top-level collection.\n";
            doDescribe(cmd);
            return;
        }
    out_ << "*** No help on " << words[1] << '\n';
}

void Shell::doTenant(const std::vector<std::string> &words)
{
    if (words[0] == "cleart") {
        options_.tenant.clear();
        out_ << "tenant_id: None\n";
        return;
    }
    if (words.size() != 2) throw MissingArguments();
    if (options_.interactive && !looksLikeTenantId(words[1]))
        out_ << "Warning: " << words[1] << " does not look like a tenant id (32 hex characters)\n";
    options_.tenant = words[1];
    out_ << "tenant_id: " << words[1] << '\n';
}

// ---- completion -----------------------------------------------------------------------------

std::vector<std::string> Shell::idCandidates(const ObjectType &type, const std::vector<PathElem> &parentPath)
{
    if (type.polymorphic) return aliases_.chainsWithPrefix(type.aliasPrefix); // root ports: composite aliases
    std::string ns;
    for (const auto &e : parentPath) {
        if (e.type->singleton || e.id.empty()) return {}; // a filter: would need the API
        ns = tokenToUuid(e.id, ns);
    }
    auto have = aliases_.aliasesIn(ns, type.aliasPrefix);
    if (have.empty() && options_.aliases) {
        // Nothing aliased yet: list the collection so the user sees real objects (host names,
        // bridges...) rather than nothing. Errors only mean no candidates.
        try {
            auto parents = resolvePath(parentPath);
            const ChildSpec *child = parents.empty() ? rootType().child(type.cli) : parents.back().type->child(type.cli);
            if (child) {
                for (const auto &item : listChildren(parents, *child, type))
                    aliasOf(concreteType(type, str(item, "type")), item, ns);
            }
        } catch (const std::exception &) {
        }
        have = aliases_.aliasesIn(ns, type.aliasPrefix);
    }
    return have;
}

std::vector<std::string> Shell::refCandidates(const std::string &typeId)
{
    const ObjectType *type = findType(typeId);
    if (!type || !type->hasId()) return {};
    if (!type->parentType.empty()) return aliases_.chainsWithPrefix(type->aliasPrefix);
    return idCandidates(*type, {});
}

std::vector<std::string> Shell::complete(std::string_view line)
{
    cache_.clear();
    std::vector<std::string> words;
    try {
        words = tokenize(line);
    } catch (const std::exception &) {
        return {};
    }
    std::string partial;
    bool endsInSpace = line.empty() || std::isspace(static_cast<unsigned char>(line.back()));
    if (!endsInSpace && !words.empty()) {
        partial = words.back();
        words.pop_back();
    }
    std::vector<std::string> cands;
    auto addAll = [&](const std::vector<std::string> &v) { cands.insert(cands.end(), v.begin(), v.end()); };
    try {
        if (words.empty()) {
            addAll(verbWords());
            for (const auto &c : rootType().children) cands.push_back(c.cli);
            addAll({"help", "exit", "quit", "sett", "cleart", "debug"});
        } else if (words[0] == "help") {
            if (words.size() == 1) {
                for (const auto &e : helpEntries()) cands.push_back(e.command);
                for (const auto &c : rootType().children) cands.push_back(c.cli);
            }
        } else if (words[0] == "debug") {
            if (words.size() == 1) addAll({"on", "off"});
        } else if (words[0] == "sett") {
            if (words.size() == 1) {
                // Tenant ids come from the API (the auth provider's list).
                auto tenants = api_.list(api_.rootLink("tenants"), findType("tenant")->collectionMediaType());
                for (const auto &t : tenants)
                    if (auto id = str(t, "id"); !id.empty()) cands.push_back(id);
            }
        } else if (words[0] == "exit" || words[0] == "quit" || words[0] == "cleart") {
        } else {
            Expectation e;
            parseCommand(words, &e);
            if (e.verbs) addAll(verbWords());
            if (e.childrenOf)
                for (const auto &c : e.childrenOf->children) cands.push_back(c.cli);
            if (e.idsOf) addAll(idCandidates(*e.idsOf, e.idParent));
            if (e.fieldsOf) {
                for (const auto &f : e.fieldsOf->fields)
                    if (!e.writableOnly || !f.readOnly) cands.push_back(f.cli);
                if (e.idField) cands.push_back("id");
            }
            if (e.valueOf) {
                addAll(valueWords(*e.valueOf));
                if (isRefKind(e.valueOf->kind)) addAll(refCandidates(e.valueOf->refType));
            }
        }
    } catch (const std::exception &) {
        // Completion never fails loudly: a line that does not parse has no candidates.
    }
    std::set<std::string> unique;
    for (auto &c : cands)
        if (c.compare(0, partial.size(), partial) == 0) unique.insert(c);
    return {unique.begin(), unique.end()};
}

} // namespace midonet::cli
