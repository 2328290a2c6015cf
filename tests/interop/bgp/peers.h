// Test-only fixtures for BGP interop tests and benchmarks: network namespaces joined by veth
// pairs, and private FRR (zebra + bgpd) and BIRD 2 daemons started inside them from the
// templates in frr/ and bird/. Every namespace is named "mnbgp-<pid>-<role>" and deleted by
// its destructor; daemons are killed by the pid they wrote, never by name.
//
// Thread-safety: none; one test thread drives these objects.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>

namespace mnbgp {

// Runs `cmd` with /bin/sh, returns stdout+stderr; *rc gets the exit status.
std::string sh(const std::string &cmd, int *rc = nullptr);
// Polls `ok` every `step` until it returns true or `timeout` passes (never a fixed sleep).
bool waitFor(const std::function<bool()> &ok, std::chrono::milliseconds timeout,
             std::chrono::milliseconds step = std::chrono::milliseconds(50));
// Reads a template and replaces every @KEY@.
std::string fill(const std::string &templatePath, const std::map<std::string, std::string> &vars);
void writeFile(const std::string &path, const std::string &text);
// Why these tests cannot run here, or empty (root, ip, bgpd/zebra, bird).
std::string missingPrerequisite();

class Namespace {
public:
    explicit Namespace(const std::string &role); // creates mnbgp-<pid>-<role>, lo up, DAD off
    ~Namespace();
    Namespace(const Namespace &) = delete;
    Namespace &operator=(const Namespace &) = delete;
    const std::string &name() const { return name_; }
    std::string exec(const std::string &cmd, int *rc = nullptr) const; // ip netns exec
    // Moves the calling thread into this namespace (for a speaker's thread).
    void enter() const;

private:
    std::string name_;
};

// A veth pair between two namespaces with IPv4 /24 and IPv6 /64 addresses on each end.
void link(const Namespace &a, const std::string &ifA, const std::string &v4A, const std::string &v6A,
          const Namespace &b, const std::string &ifB, const std::string &v4B, const std::string &v6B);

class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string &path() const { return path_; }

private:
    std::string path_;
};

class Frr {
public:
    Frr(const Namespace &ns, std::string dir) : ns_(ns), dir_(std::move(dir)) {}
    ~Frr() { stop(); }
    // Starts zebra (once) and bgpd with `bgpdConf` as its configuration text.
    bool start(const std::string &bgpdConf);
    bool startBgpd(const std::string &bgpdConf);
    void killBgpd(int signal); // 9 = crash, as a peer restart
    void stop();
    std::string vtysh(const std::string &command) const; // one or more "-c" separated by '\n'
    std::string logPath() const { return dir_ + "/bgpd.log"; }
    long bgpdPeakRssKb() const;

private:
    const Namespace &ns_;
    std::string dir_;
    bool zebra_ = false;
};

class Bird {
public:
    Bird(const Namespace &ns, std::string dir) : ns_(ns), dir_(std::move(dir)) {}
    ~Bird() { stop(); }
    bool start(const std::string &conf);
    void kill(int signal);
    void stop();
    std::string birdc(const std::string &command) const;
    long peakRssKb() const;

private:
    const Namespace &ns_;
    std::string dir_;
};

long pidFromFile(const std::string &path);
long peakRssKbOf(long pid); // VmHWM of a live process, 0 if gone

} // namespace mnbgp
