#include "cluster/cluster_app.h"

#include "cluster/change_feed.h"
#include "cluster/event_journal.h"
#include "common/store/memory_store.h"
#include "common/store/zookeeper_store.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace midonet::cluster {

std::string sharedTokenSecret(store::Store &s, const std::string &configured)
{
    if (!configured.empty()) return configured;
    const util::Uuid id{0, 2};
    for (int i = 0; i < 5; ++i) {
        try {
            auto o = s.get("cluster_config", id);
            return nlohmann::json::parse(o.data).at("tokenSecret").get<std::string>();
        } catch (const store::StoreError &e) {
            if (e.errc() != store::StoreErrc::not_found) throw;
        }
        try {
            s.create("cluster_config", id, nlohmann::json{{"tokenSecret", randomSecret()}}.dump());
        } catch (const store::StoreError &e) {
            if (e.errc() != store::StoreErrc::already_exists) throw;
        }
    }
    throw std::runtime_error("cannot read or create the shared token secret in the NSDB");
}

struct ClusterApp::Impl {
    ClusterOptions options;
    std::shared_ptr<store::Store> store;
    std::unique_ptr<EventJournal> journal;
    std::unique_ptr<Handler> handler;
    std::unique_ptr<ChangeFeed> feed;
    std::unique_ptr<Server> server;
};

ClusterApp::ClusterApp(ClusterOptions o, std::shared_ptr<store::Store> st) : impl_(std::make_unique<Impl>())
{
    auto &i = *impl_;
    i.options = std::move(o);
    if (st) {
        i.store = std::move(st);
    } else if (i.options.store == "memory") {
        i.store = std::make_shared<store::MemoryStore>();
    } else if (i.options.store == "zookeeper") {
        store::ZooKeeperStore::Options zo;
        zo.servers = i.options.zookeeper;
        zo.root = i.options.zookeeperRoot;
        i.store = std::make_shared<store::ZooKeeperStore>(zo);
    } else {
        throw std::invalid_argument("--store must be memory or zookeeper, not " + i.options.store);
    }
    HandlerOptions ho;
    ho.rootPath = i.options.rootPath;
    ho.tokenLifetime = std::chrono::seconds(i.options.tokenLifetime);
    std::shared_ptr<TokenAuthority> tokens;
    auto users = std::make_shared<UserDirectory>();
    if (i.options.auth == "none") {
        ho.auth = AuthMode::None;
    } else if (i.options.auth == "password") {
        ho.auth = AuthMode::Password;
        if (!i.options.usersFile.empty()) users->loadFile(i.options.usersFile);
        if (!i.options.adminPassword.empty())
            users->add({i.options.adminUser, Role::Admin, i.options.adminTenant,
                        hashPassword(i.options.adminPassword, i.options.fastPasswordHash)});
        if (users->size() == 0)
            spdlog::warn("auth: no users (give --users FILE or --admin-password / MIDONET_ADMIN_PASSWORD): nobody can log in");
        tokens = std::make_shared<TokenAuthority>(sharedTokenSecret(*i.store, i.options.tokenSecret), ho.tokenLifetime);
    } else {
        throw std::invalid_argument("--auth must be none or password, not " + i.options.auth);
    }
    i.journal = std::make_unique<EventJournal>(i.options.journalSize);
    i.handler = std::make_unique<Handler>(ho, *i.store, users, tokens);
    auto [addr, port] = parseListenAddress(i.options.listen);
    ServerOptions so;
    so.address = addr;
    so.port = port;
    so.threads = i.options.threads;
    so.bodyLimit = i.options.bodyLimit;
    so.readTimeout = std::chrono::seconds(i.options.readTimeout);
    i.server = std::make_unique<Server>(so, *i.handler, *i.journal);
}

ClusterApp::~ClusterApp() { stop(); }

void ClusterApp::start()
{
    impl_->feed = std::make_unique<ChangeFeed>(*impl_->store, *impl_->journal);
    impl_->server->start();
}

void ClusterApp::stop()
{
    if (impl_->server) impl_->server->stop();
    impl_->feed.reset();
}

uint16_t ClusterApp::port() const { return impl_->server->port(); }
const Handler &ClusterApp::handler() const { return *impl_->handler; }
store::Store &ClusterApp::store() { return *impl_->store; }

} // namespace midonet::cluster
