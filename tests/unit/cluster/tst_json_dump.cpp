// The cluster's response serialiser writes exactly what nlohmann::json::dump() writes: the same
// bytes for escapes, non-ASCII text, numbers of every kind, empty and nested containers, and the
// same error for invalid UTF-8. Random documents cover what the fixed cases miss.
#include "cluster/detail/json_dump.h"

#include <QtTest>

#include <random>

using nlohmann::json;
using midonet::cluster::detail::dumpJson;

namespace {

json randomValue(std::mt19937 &rng, int depth)
{
    static const std::vector<std::string> pieces{"a", "uri", "http://h:8181/x", "\"", "\\", "\n", "\t", "\x01", "\x7f",
                                                 "é", "日本", "/", " ", "{", "}", "\x1f", "\b\f\r"};
    std::uniform_int_distribution<int> kind(0, depth > 3 ? 5 : 7);
    auto text = [&] {
        std::string s;
        for (int n = std::uniform_int_distribution<int>(0, 5)(rng); n > 0; --n)
            s += pieces[std::uniform_int_distribution<size_t>(0, pieces.size() - 1)(rng)];
        return s;
    };
    switch (kind(rng)) {
    case 0: return nullptr;
    case 1: return std::uniform_int_distribution<int>(0, 1)(rng) == 1;
    case 2: return std::uniform_int_distribution<std::int64_t>(INT64_MIN, INT64_MAX)(rng);
    case 3: return std::uniform_int_distribution<std::uint64_t>(0, UINT64_MAX)(rng);
    case 4: return std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
    case 5: return text();
    case 6: {
        json a = json::array();
        for (int n = std::uniform_int_distribution<int>(0, 4)(rng); n > 0; --n) a.push_back(randomValue(rng, depth + 1));
        return a;
    }
    default: {
        json o = json::object();
        for (int n = std::uniform_int_distribution<int>(0, 4)(rng); n > 0; --n) o[text()] = randomValue(rng, depth + 1);
        return o;
    }
    }
}

// Documents that exercise every branch: name -> JSON text.
std::vector<std::pair<const char *, std::string>> fixedDocuments()
{
    return {
        {"empty-object", "{}"},
        {"empty-array", "[]"},
        {"bridge", "{\"id\":\"2c94ffbe-d6eb-4d41-9a16-c2c547005733\",\"name\":\"b\",\"inboundFilterId\":null,"
                   "\"vxLanPortIds\":[],\"adminStateUp\":true,\"uri\":\"http://127.0.0.1:8181/midonet-api/bridges/x\"}"},
        {"escapes", "{\"q\\\"k\":\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f/\"}"},
        {"unicode", "[\"\u00c3\u00a9\",\"\\u00e9\",\"\xe6\x97\xa5\xe6\x9c\xac\",\"\xf0\x9f\x98\x80\"]"},
        {"numbers", "[0,-1,9223372036854775807,-9223372036854775808,18446744073709551615,0.1,-0.0,1e300,2.5e-8,3.0]"},
        {"nested", "{\"a\":{\"b\":[{\"c\":[]},{}]},\"z\":[[[null]]]}"},
    };
}

} // namespace

class TstJsonDump : public QObject
{
    Q_OBJECT

private slots:
    void sameBytesAsDump_data()
    {
        QTest::addColumn<QString>("doc");
        for (const auto &[name, doc] : fixedDocuments()) QTest::newRow(name) << QString::fromStdString(doc);
    }
    void sameBytesAsDump()
    {
        QFETCH(QString, doc);
        json j = json::parse(doc.toStdString());
        QCOMPARE(QString::fromStdString(dumpJson(j)), QString::fromStdString(j.dump()));
    }
    void randomDocuments()
    {
        std::mt19937 rng(20261126);
        for (int i = 0; i < 2000; ++i) {
            json j = randomValue(rng, 0);
            auto want = j.dump();
            auto got = dumpJson(j);
            if (got != want) QFAIL(qPrintable(QString::fromStdString("differs:\n" + got + "\n" + want)));
        }
    }
    void invalidUtf8FailsLikeDump()
    {
        json j = {{"name", std::string("bad\xff")}};
        QVERIFY_THROWS_EXCEPTION(json::type_error, (void)j.dump());
        QVERIFY_THROWS_EXCEPTION(json::type_error, (void)dumpJson(j));
    }
};

QTEST_GUILESS_MAIN(TstJsonDump)
#include "tst_json_dump.moc"
