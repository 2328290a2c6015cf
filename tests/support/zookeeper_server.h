// Private ZooKeeper servers for tests and benchmarks: Debian's `zookeeper` package run as a child
// JVM on 127.0.0.1, on free ports, with a temporary data dir that is removed afterwards.
//
// ZooKeeperServer is one standalone server; ZooKeeperEnsemble is a quorum of N (each member with
// its own myid, client/quorum/election ports and data dir) whose members can be killed and
// restarted one at a time. Both start in the constructor and return once the server(s) answer
// the `srvr` four-letter word with a mode (standalone, or a leader plus followers); they SIGKILL
// their JVMs in the destructor, and the JVMs also die with the test process (PR_SET_PDEATHSIG).
//
// Invariants: connectString() lists every member ("127.0.0.1:p1,127.0.0.1:p2,..."), whether it
// is running or not. Server logs go to <data dir>/server.log, kept on failure via logTail().
//
// Thread-safety: none; use from the thread that created it (it is the JVMs' parent).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace midonet::test {

// Empty if a server can be started here; otherwise the one-line reason (for QSKIP).
std::string zooKeeperUnavailableReason();

// Sends a four-letter word ("ruok", "srvr", ...) and returns the answer, or "" if nobody answers.
std::string fourLetterWord(unsigned short port, const std::string &word,
                           std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

class ZooKeeperEnsemble {
public:
    // Throws std::runtime_error (with the server log's tail) if the servers do not come up.
    explicit ZooKeeperEnsemble(int members = 3, std::chrono::milliseconds tick = std::chrono::milliseconds(500));
    ~ZooKeeperEnsemble();
    ZooKeeperEnsemble(const ZooKeeperEnsemble &) = delete;
    ZooKeeperEnsemble &operator=(const ZooKeeperEnsemble &) = delete;

    std::string connectString() const;
    int size() const;
    unsigned short clientPort(int member) const;

    void kill(int member);    // SIGKILL, as a crash would
    void restart(int member); // same config and data; returns once it serves again
    bool running(int member) const;
    // "leader", "follower", "standalone", or "" when the member does not serve.
    std::string mode(int member) const;
    // The member that says it leads, polling up to `timeout`.
    std::optional<int> leader(std::chrono::milliseconds timeout = std::chrono::milliseconds(20000)) const;
    // Returns once `member` answers srvr with a mode; throws std::runtime_error after `timeout`.
    void waitServing(int member, std::chrono::milliseconds timeout = std::chrono::milliseconds(30000)) const;
    std::string logTail(int member, std::size_t bytes = 4000) const;

    struct Member;

private:
    void start(int member);
    std::string dir_;
    std::vector<std::unique_ptr<Member>> members_;
};

// A single standalone server.
class ZooKeeperServer {
public:
    ZooKeeperServer() : ensemble_(1) {}
    std::string connectString() const { return ensemble_.connectString(); }
    unsigned short port() const { return ensemble_.clientPort(0); }
    void kill() { ensemble_.kill(0); }
    void restart() { ensemble_.restart(0); }
    std::string logTail() const { return ensemble_.logTail(0); }

private:
    ZooKeeperEnsemble ensemble_;
};

} // namespace midonet::test
