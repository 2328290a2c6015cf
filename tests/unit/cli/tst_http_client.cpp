// The CLI's HTTP/1.1 client on a real socket: what goes on the wire, how replies are read,
// keep-alive and reconnect, and the errors for a server that is not there.
#include "cli/http_client.h"

#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

using namespace midonet::cli;

namespace {

// Answers each incoming request with the next canned reply; closes the connection after each
// reply when `closeEach` (the client must then reconnect).
class MiniServer {
public:
    MiniServer(std::vector<std::string> replies, bool closeEach) : replies_(std::move(replies)), closeEach_(closeEach)
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd_, reinterpret_cast<sockaddr *>(&a), sizeof a);
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr *>(&a), &len);
        port = ntohs(a.sin_port);
        ::listen(fd_, 4);
        thread_ = std::thread([this] { serve(); });
    }
    ~MiniServer()
    {
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        thread_.join();
    }

    int port = 0;
    std::vector<std::string> requests;
    std::atomic<int> accepts{0};

private:
    static std::string readRequest(int c)
    {
        std::string data;
        char buf[4096];
        while (true) {
            auto end = data.find("\r\n\r\n");
            if (end != std::string::npos) {
                size_t length = 0;
                auto cl = data.find("Content-Length: ");
                if (cl != std::string::npos && cl < end) length = std::stoul(data.substr(cl + 16));
                if (data.size() >= end + 4 + length) return data.substr(0, end + 4 + length);
            }
            auto n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0) return {};
            data.append(buf, size_t(n));
        }
    }
    void serve()
    {
        size_t next = 0;
        while (next < replies_.size()) {
            int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) return;
            ++accepts;
            while (next < replies_.size()) {
                auto rq = readRequest(c);
                if (rq.empty()) break;
                requests.push_back(rq);
                const auto &reply = replies_[next++];
                ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
                if (closeEach_) break;
            }
            ::close(c);
        }
    }

    std::vector<std::string> replies_;
    bool closeEach_;
    int fd_ = -1;
    std::thread thread_;
};

const std::string created = "HTTP/1.1 201 Created\r\nLocation: http://127.0.0.1/midonet-api/bridges/1\r\n"
                            "set-cookie: sessionId=abc; Expires=x\r\nContent-Length: 0\r\n\r\n";
const std::string okJson = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":[1,2]}";

} // namespace

class TstHttpClient : public QObject
{
    Q_OBJECT
private slots:
    void requestOnTheWire()
    {
        MiniServer server({created}, false);
        HttpClient client;
        HttpRequest rq{"POST", "http://127.0.0.1:" + std::to_string(server.port) + "/midonet-api/login",
                       {{"Authorization", "Basic YTpi"}, {"Content-Type", "application/vnd.org.midonet.Bridge-v4+json"}},
                       "{}"};
        auto res = client.send(rq);
        QCOMPARE(res.status, 201);
        QCOMPARE(res.reason, std::string("Created"));
        QCOMPARE(res.header("Location").value_or(""), std::string("http://127.0.0.1/midonet-api/bridges/1"));
        QCOMPARE(res.header("Set-Cookie").value_or(""), std::string("sessionId=abc; Expires=x")); // any case
        QCOMPARE(server.requests.size(), size_t(1));
        const auto &wire = server.requests[0];
        QVERIFY2(wire.starts_with("POST /midonet-api/login HTTP/1.1\r\n"), wire.c_str());
        QVERIFY(wire.find("Host: 127.0.0.1:" + std::to_string(server.port) + "\r\n") != std::string::npos);
        QVERIFY(wire.find("Authorization: Basic YTpi\r\n") != std::string::npos);
        QVERIFY(wire.find("Content-Length: 2\r\n") != std::string::npos);
        QVERIFY(wire.ends_with("\r\n\r\n{}"));
    }

    void keepAlive()
    {
        MiniServer server({okJson, okJson, okJson}, false);
        HttpClient client;
        auto url = "http://127.0.0.1:" + std::to_string(server.port) + "/midonet-api/bridges?tenant_id=t";
        for (int i = 0; i < 3; ++i) {
            auto res = client.send({"GET", url, {{"Accept", "application/json"}}, {}});
            QCOMPARE(res.status, 200);
            QCOMPARE(res.body, std::string("{\"a\":[1,2]}"));
        }
        QCOMPARE(server.accepts.load(), 1);
        QVERIFY(server.requests[0].starts_with("GET /midonet-api/bridges?tenant_id=t HTTP/1.1\r\n"));
    }

    void reconnectsWhenServerCloses()
    {
        MiniServer server({okJson, okJson}, true);
        HttpClient client;
        auto url = "http://127.0.0.1:" + std::to_string(server.port) + "/x";
        QCOMPARE(client.send({"GET", url, {}, {}}).status, 200);
        QCOMPARE(client.send({"GET", url, {}, {}}).status, 200);
        QCOMPARE(server.accepts.load(), 2);
    }

    void refused()
    {
        int port;
        {
            MiniServer gone({}, true); // binds a free port, then closes it
            port = gone.port;
        }
        HttpClient client(std::chrono::milliseconds(2000));
        try {
            client.send({"GET", "http://127.0.0.1:" + std::to_string(port) + "/", {}, {}});
            QFAIL("no error");
        } catch (const TransportError &e) {
            QVERIFY2(e.refused, e.what());
        }
    }

    void httpsIsRefusedClearly()
    {
        HttpClient client;
        try {
            client.send({"GET", "https://127.0.0.1/", {}, {}});
            QFAIL("no error");
        } catch (const TransportError &e) {
            QVERIFY(std::string(e.what()).find("https is not supported") != std::string::npos);
        }
    }

    void urls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("target");
        QTest::newRow("full") << "http://h.example:8181/midonet-api/x?y=1" << "h.example" << "8181" << "/midonet-api/x?y=1";
        QTest::newRow("default-port") << "http://h/midonet-api" << "h" << "80" << "/midonet-api";
        QTest::newRow("no-path") << "http://h:1" << "h" << "1" << "/";
        QTest::newRow("query-only") << "http://h?a=b" << "h" << "80" << "/?a=b";
        QTest::newRow("ipv6") << "http://[::1]:8181/m" << "::1" << "8181" << "/m";
        QTest::newRow("https") << "https://h/" << "" << "" << "";
        QTest::newRow("bad-port") << "http://h:x/" << "" << "" << "";
        QTest::newRow("no-host") << "http:///x" << "" << "" << "";
    }
    void urls()
    {
        QFETCH(QString, url);
        QFETCH(QString, host);
        QFETCH(QString, port);
        QFETCH(QString, target);
        auto parts = splitHttpUrl(url.toStdString());
        QCOMPARE(parts.has_value(), !host.isEmpty());
        if (!parts) return;
        QCOMPARE(QString::fromStdString(parts->host), host);
        QCOMPARE(QString::fromStdString(parts->port), port);
        QCOMPARE(QString::fromStdString(parts->target), target);
    }
};

QTEST_GUILESS_MAIN(TstHttpClient)
#include "tst_http_client.moc"
