#include "cli/parser.h"

#include <cctype>

namespace midonet::cli {

std::vector<std::string> tokenize(std::string_view line)
{
    std::vector<std::string> words;
    std::string cur;
    bool inWord = false;
    size_t i = 0;
    while (i < line.size()) {
        char ch = line[i];
        if (std::isspace(static_cast<unsigned char>(ch))) {
            if (inWord) words.push_back(std::move(cur));
            cur.clear();
            inWord = false;
            ++i;
        } else if (ch == '\'') {
            auto close = line.find('\'', i + 1);
            if (close == std::string_view::npos) throw QuoteError();
            cur.append(line.substr(i + 1, close - i - 1));
            inWord = true;
            i = close + 1;
        } else if (ch == '"') {
            ++i;
            bool closed = false;
            while (i < line.size()) {
                if (line[i] == '"') {
                    closed = true;
                    ++i;
                    break;
                }
                if (line[i] == '\\' && i + 1 < line.size() && (line[i + 1] == '"' || line[i + 1] == '\\')) ++i;
                cur += line[i++];
            }
            if (!closed) throw QuoteError();
            inWord = true;
        } else if (ch == '\\') {
            if (i + 1 >= line.size()) throw QuoteError(); // shlex: "No escaped character"
            cur += line[i + 1];
            inWord = true;
            i += 2;
        } else {
            cur += ch;
            inWord = true;
            ++i;
        }
    }
    if (inWord) words.push_back(std::move(cur));
    return words;
}

std::optional<Verb> verbOf(std::string_view w)
{
    auto prefixOf = [&](std::string_view full, size_t minLen) {
        return w.size() >= minLen && w.size() <= full.size() && full.substr(0, w.size()) == w;
    };
    if (prefixOf("list", 1)) return Verb::List;
    if (prefixOf("show", 1)) return Verb::Show;
    if (w == "create" || w == "add") return Verb::Create;
    if (w == "set") return Verb::Set;
    if (w == "clear") return Verb::Clear;
    if (prefixOf("delete", 3)) return Verb::Delete;
    if (prefixOf("describe", 4)) return Verb::Describe;
    return std::nullopt;
}

const char *verbName(Verb v)
{
    switch (v) {
    case Verb::None: return "";
    case Verb::List: return "list";
    case Verb::Show: return "show";
    case Verb::Create: return "create";
    case Verb::Set: return "set";
    case Verb::Clear: return "clear";
    case Verb::Delete: return "delete";
    case Verb::Describe: return "describe";
    }
    return "";
}

const std::vector<std::string> &verbWords()
{
    static const std::vector<std::string> words = {"add", "clear", "create", "delete", "describe",
                                                   "list", "set", "show"};
    return words;
}

const ObjectType &Command::target() const
{
    if (collection) return *collection;
    if (!path.empty()) return *path.back().type;
    return rootType();
}

Command parseCommand(const std::vector<std::string> &w, Expectation *expect)
{
    Command c;
    const ObjectType *cur = &rootType();
    const size_t n = w.size();
    size_t i = 0;
    bool filled = false; // the expectation has been decided by a specific branch
    auto rest = [&](size_t from) {
        std::string out;
        for (size_t k = from; k < n; ++k) out += (out.empty() ? "" : " ") + w[k];
        return out;
    };
    // The line ended where a value was required.
    auto needValue = [&](const FieldSpec *f) {
        if (!expect) throw MissingArguments();
        expect->valueOf = f;
        filled = true;
    };

    while (i < n) {
        const std::string &tok = w[i];
        if (c.verb == Verb::None) {
            if (auto v = verbOf(tok)) {
                c.verb = *v;
                ++i;
                continue;
            }
        }
        if (!c.collection) {
            if (const ChildSpec *ch = cur->child(tok)) {
                const ObjectType *ty = findType(ch->typeId);
                ++i;
                if (ty->singleton) {
                    c.path.push_back({ty, ch, "", {}});
                    cur = ty;
                    continue;
                }
                if (i == n) { // a bare collection ends the line
                    c.collection = ty;
                    c.collectionChild = ch;
                    if (expect) {
                        filled = true;
                        expect->verbs = c.verb == Verb::None;
                        if (ty->hasId() && c.verb != Verb::Create) {
                            expect->idsOf = ty;
                            expect->idParent = c.path;
                        }
                        if (c.verb == Verb::Create || c.verb == Verb::List || !ty->hasId()) {
                            expect->fieldsOf = ty;
                            expect->writableOnly = c.verb == Verb::Create;
                        }
                    }
                    break;
                }
                const std::string &next = w[i];
                if (c.verb == Verb::None && verbOf(next)) { // P COLL verb
                    c.collection = ty;
                    c.collectionChild = ch;
                    continue;
                }
                if (ty->field(next)) {
                    if (c.verb == Verb::Create || c.verb == Verb::List) { // values follow
                        c.collection = ty;
                        c.collectionChild = ch;
                        break;
                    }
                    PathElem e{ty, ch, "", {}};
                    bool dangling = false; // a field name ended the line
                    while (i < n && ty->field(w[i])) {
                        const FieldSpec *f = ty->field(w[i]);
                        if (++i == n) {
                            needValue(f);
                            dangling = true;
                            break;
                        }
                        e.filter.push_back({f, w[i]});
                        ++i;
                    }
                    c.path.push_back(std::move(e));
                    if (dangling) return c;
                    cur = ty;
                    continue;
                }
                if (!ty->hasId()) throw SyntaxError(rest(i));
                c.path.push_back({ty, ch, next, {}});
                cur = ty;
                ++i;
                continue;
            }
        }
        if (c.verb == Verb::None) {
            // P FIELD show
            bool isField = cur->field(tok) || (tok == "id" && cur->hasId());
            if (isField && !c.path.empty() && i + 2 == n && verbOf(w[i + 1]) == Verb::Show) {
                c.verb = Verb::Show;
                if (tok == "id") c.showId = true;
                else c.fields.push_back(cur->field(tok));
                return c;
            }
            throw SyntaxError(rest(i));
        }
        break; // the verb's own words start here
    }

    const ObjectType &target = c.target();
    auto pairs = [&](bool writable) {
        size_t j = i;
        while (j < n) {
            const FieldSpec *f = target.field(w[j]);
            if (!f) throw SyntaxError(rest(j));
            if (j + 1 == n) {
                needValue(f);
                return;
            }
            // A reference may be given as a root path: `set infilter chain chain0`.
            bool isRef = f->kind == FieldKind::Ref || f->kind == FieldKind::Peer || f->kind == FieldKind::TraceDevice;
            const ChildSpec *rootColl = isRef ? rootType().child(w[j + 1]) : nullptr;
            if (rootColl) {
                if (j + 2 == n) {
                    if (!expect) throw MissingArguments();
                    expect->idsOf = findType(rootColl->typeId);
                    filled = true;
                    return;
                }
                c.args.push_back({f, w[j + 1] + " " + w[j + 2]});
                j += 3;
                continue;
            }
            c.args.push_back({f, w[j + 1]});
            j += 2;
        }
        if (expect && !filled) {
            expect->fieldsOf = &target;
            expect->writableOnly = writable;
            filled = true;
        }
    };
    auto endOfPath = [&](bool fields) {
        // The line ended after a path: what may extend it.
        if (!expect || filled) return;
        filled = true;
        expect->childrenOf = cur;
        if (fields) {
            expect->fieldsOf = cur;
            expect->writableOnly = c.verb == Verb::Set || c.verb == Verb::Clear;
            expect->idField = c.verb == Verb::Show && cur->hasId();
        }
    };
    auto requireObject = [&] {
        // set/clear/show/delete act on an object: a pending collection needs its id.
        if (c.collection || c.path.empty()) {
            if (!expect) throw MissingArguments();
            endOfPath(false);
            return false;
        }
        return true;
    };

    switch (c.verb) {
    case Verb::None:
        if (!expect) throw MissingArguments();
        if (!filled) {
            endOfPath(false);
            expect->verbs = true;
        }
        break;
    case Verb::List:
    case Verb::Create:
        if (!c.collection) {
            if (!expect) throw MissingArguments();
            endOfPath(false);
            break;
        }
        pairs(c.verb == Verb::Create);
        break;
    case Verb::Set:
        if (!requireObject()) break;
        if (i == n) {
            if (!expect) throw MissingArguments();
            endOfPath(true);
            break;
        }
        pairs(true);
        break;
    case Verb::Clear:
        if (!requireObject()) break;
        for (size_t j = i; j < n; ++j) {
            const FieldSpec *f = cur->field(w[j]);
            if (!f) throw SyntaxError(rest(j));
            c.fields.push_back(f);
        }
        if (c.fields.empty() && !expect) throw MissingArguments();
        if (expect && !filled) {
            if (i == n) endOfPath(true);
            else {
                expect->fieldsOf = cur;
                expect->writableOnly = true;
                filled = true;
            }
        }
        break;
    case Verb::Show:
        if (!requireObject()) break;
        if (i == n) {
            endOfPath(true);
            break;
        }
        if (i + 1 != n) throw SyntaxError(rest(i + 1));
        if (w[i] == "id" && cur->hasId()) c.showId = true;
        else if (const FieldSpec *f = cur->field(w[i])) c.fields.push_back(f);
        else throw SyntaxError(rest(i));
        break;
    case Verb::Delete:
        if (!requireObject()) break;
        if (i != n) throw SyntaxError(rest(i));
        endOfPath(false);
        break;
    case Verb::Describe:
        if (i != n) throw SyntaxError(rest(i));
        endOfPath(false);
        break;
    }
    return c;
}

} // namespace midonet::cli
