// Chains and their rules (reference §4.8-4.9). A chain stores its rule order (ruleIds); a rule's
// position is its 1-based index there, so positions stay dense whatever is inserted or deleted:
// every insert/delete rewrites the chain's order in the same multi-op as the rule itself, with
// the chain version read, so concurrent edits of one chain serialise through retries.
#include "cluster/detail/api.h"
#include "cluster/detail/store_resolver.h"
#include "common/model/derived.h"
#include "common/model/model.h"

#include <algorithm>
#include <map>
#include <set>

namespace midonet::cluster::detail {

using namespace model;

namespace {

Stored<Chain> loadChain(Ctx &ctx, const Uuid &id, const std::string &property = {})
{
    auto c = tryLoad<Chain>(ctx.store, id);
    if (!c || !ctx.canSee(c->obj.tenantId)) {
        std::string msg = "Chain " + id.toString() + " not found";
        throw ApiError::message(404, property.empty() ? msg : property + ": " + msg);
    }
    return *c;
}

json renderChain(const Ctx &ctx, const Chain &c)
{
    json j = encode(c);
    auto self = ctx.uri("chains/" + c.id.toString());
    j["uri"] = self;
    j["rules"] = self + "/rules";
    return j;
}

json renderRule(const Ctx &ctx, Rule r, const Chain &chain)
{
    auto it = std::find(chain.ruleIds.begin(), chain.ruleIds.end(), r.id);
    r.position = it == chain.ruleIds.end() ? 0 : int32_t(it - chain.ruleIds.begin() + 1);
    r.chainId = chain.id;
    json j = encode(r);
    j["uri"] = ctx.uri("rules/" + r.id.toString());
    return j;
}

} // namespace

void addChainRoutes(RouteTable &t)
{
    auto chainItem = itemTypes("Chain", {1});
    t.add("GET", "/chains", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("Chain", {1}));
        std::optional<std::string> filter;
        if (auto it = ctx.query.find("tenant_id"); it != ctx.query.end()) filter = it->second;
        json arr = json::array();
        for (const auto &c : loadAll<Chain>(ctx.store))
            if (ctx.canSee(c.obj.tenantId) && (!filter || c.obj.tenantId == filter)) arr.push_back(renderChain(ctx, c.obj));
        return jsonResponse(200, arr, type);
    }, "List chains (filter ?tenant_id=)", &Chain::schema(), vendorCollectionType("Chain", 1), true);
    t.add("GET", "/chains/{id}", [chainItem](Ctx &ctx) {
        auto type = ctx.accept(chainItem);
        return jsonResponse(200, renderChain(ctx, loadChain(ctx, ctx.id()).obj), type);
    }, "Get one chain", &Chain::schema(), vendorType("Chain", 1));
    t.add("POST", "/chains", [chainItem](Ctx &ctx) {
        ctx.consume(chainItem);
        Chain c = decodeInput<Chain>(ctx.body());
        if (c.id.isNil()) c.id = Uuid::random();
        c.ruleIds.clear();
        if (!ctx.isAdmin()) {
            if (c.tenantId && !c.tenantId->empty() && *c.tenantId != ctx.who.tenant)
                throw ApiError::violation("tenantId", "must be your own tenant (" + ctx.who.tenant + ")");
            c.tenantId = ctx.who.tenant;
        }
        commit(ctx, {createOp(c)}, 0);
        return created(ctx.uri("chains/" + c.id.toString()));
    }, "Create a chain", &Chain::schema(), vendorType("Chain", 1));
    t.add("DELETE", "/chains/{id}", [](Ctx &ctx) {
        return retrying(ctx, [&] {
            commit(ctx, planDeleteOps(ctx.store, loadChain(ctx, ctx.id())));
            return noContent();
        });
    }, "Delete a chain, its rules and jump rules to it; clears filter references");

    t.add("GET", "/chains/{id}/rules", [](Ctx &ctx) {
        auto type = ctx.accept(collectionTypes("Rule", {2}));
        auto c = loadChain(ctx, ctx.id());
        json arr = json::array();
        for (const auto &rid : c.obj.ruleIds)
            if (auto r = tryLoad<Rule>(ctx.store, rid)) arr.push_back(renderRule(ctx, r->obj, c.obj));
        return jsonResponse(200, arr, type);
    }, "Rules of a chain in evaluation order", &Rule::schema(), vendorCollectionType("Rule", 2), true);
    t.add("POST", "/chains/{id}/rules", [](Ctx &ctx) {
        ctx.consume(itemTypes("Rule", {2}));
        Rule rule = decodeInput<Rule>(ctx.body());
        if (rule.id.isNil()) rule.id = Uuid::random(); // the same id on every retry
        return retrying(ctx, [&] {
            auto c = loadChain(ctx, ctx.id());
            StoreResolver res(ctx.store);
            res.seed(c);
            // A jump target of another tenant is 404, like a missing one.
            if (rule.jumpChainId && *rule.jumpChainId != c.obj.id) res.seed(loadChain(ctx, *rule.jumpChainId, "jumpChainId"));
            // The model places the rule (position 1..n+1, null/0 = head) and checks its references.
            auto ops = planOps(res, [&] { return model::planCreateRule(res, c.obj.id, rule); });
            int createIndex = -1;
            for (size_t i = 0; i < ops.size(); ++i)
                if (ops[i].kind == store::Op::Kind::create && ops[i].type == "rules") createIndex = int(i);
            // A concurrent delete of the jump target retries and its cascade sees this rule.
            if (rule.jumpChainId) ops.push_back(res.touchOp("chains", *rule.jumpChainId));
            commit(ctx, ops, createIndex);
            return created(ctx.uri("rules/" + rule.id.toString()));
        });
    }, "Insert a rule at `position` (1 = head; default 1)", &Rule::schema(), vendorType("Rule", 2));
    t.add("GET", "/rules/{id}", [](Ctx &ctx) {
        auto type = ctx.accept(itemTypes("Rule", {2}));
        auto r = load<Rule>(ctx.store, ctx.id());
        auto c = r.obj.chainId ? tryLoad<Chain>(ctx.store, *r.obj.chainId) : std::nullopt;
        if (!c || !ctx.canSee(c->obj.tenantId)) throw ApiError::message(404, "Rule " + r.obj.id.toString() + " not found");
        return jsonResponse(200, renderRule(ctx, r.obj, c->obj), type);
    }, "Get one rule (position = its index in the chain)", &Rule::schema(), vendorType("Rule", 2));
    t.add("DELETE", "/rules/{id}", [](Ctx &ctx) {
        return retrying(ctx, [&] {
            auto r = load<Rule>(ctx.store, ctx.id());
            auto c = r.obj.chainId ? tryLoad<Chain>(ctx.store, *r.obj.chainId) : std::nullopt;
            if (c && !ctx.canSee(c->obj.tenantId)) throw ApiError::message(404, "Rule " + r.obj.id.toString() + " not found");
            if (!c && !ctx.isAdmin()) throw ApiError::message(404, "Rule " + r.obj.id.toString() + " not found");
            commit(ctx, planDeleteOps(ctx.store, r));
            return noContent();
        });
    }, "Delete a rule; later rules move up one position");
}

} // namespace midonet::cluster::detail
