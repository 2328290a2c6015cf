#include "agent/datapath/datapath.h"

#include "agent/datapath/ovs/ovs_datapath.h"
#include "agent/datapath/userspace/userspace_datapath.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <ctime>

namespace midonet::dp {

const char *portTypeName(PortType t)
{
    switch (t) {
    case PortType::Netdev: return "netdev";
    case PortType::Internal: return "internal";
    case PortType::Vxlan: return "vxlan";
    }
    return "?";
}

const char *backendName(Backend b)
{
    switch (b) {
    case Backend::Auto: return "auto";
    case Backend::Ovs: return "ovs";
    case Backend::Userspace: return "userspace";
    }
    return "?";
}

uint64_t monotonicMs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return uint64_t(ts.tv_sec) * 1000 + uint64_t(ts.tv_nsec) / 1000000;
}

bool kernelDatapathAvailable(std::string *why)
{
    struct stat st;
    if (stat("/sys/module/openvswitch", &st) == 0)
        return true;
    try {
        ovs::GenlSocket sock;
        if (ovs::resolveFamilies(sock).complete())
            return true;
    } catch (const DatapathError &) {
    }
    if (why)
        *why = "the openvswitch kernel module is not loaded (no /sys/module/openvswitch, Generic "
               "Netlink family ovs_datapath unknown); `modprobe openvswitch` enables the kernel "
               "datapath";
    return false;
}

namespace {
Backend choose(const DatapathOptions &opts)
{
    if (opts.backend != Backend::Auto)
        return opts.backend;
    std::string why;
    if (kernelDatapathAvailable(&why)) {
        spdlog::info("datapath: using the ovs kernel datapath");
        return Backend::Ovs;
    }
    spdlog::info("datapath: using the userspace datapath: {}", why);
    return Backend::Userspace;
}
} // namespace

std::unique_ptr<Datapath> createDatapath(const std::string &name, const DatapathOptions &opts)
{
    if (choose(opts) == Backend::Ovs)
        return std::make_unique<ovs::OvsDatapath>(name, true, opts);
    return std::make_unique<userspace::UserspaceDatapath>(name, opts);
}

std::unique_ptr<Datapath> openDatapath(const std::string &name, const DatapathOptions &opts)
{
    if (choose(opts) == Backend::Ovs)
        return std::make_unique<ovs::OvsDatapath>(name, false, opts);
    throw DatapathError(EOPNOTSUPP, "userspace datapath " + name +
                                        ": lives in its creating process only, cannot be opened");
}

} // namespace midonet::dp
