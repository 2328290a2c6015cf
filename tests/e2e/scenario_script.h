// ScenarioScript: runs one e2e script (cloud.sh, gateway.sh, l2gw.sh) once and keeps what it
// printed, so a QtTest can report every scenario as its own row. The scripts' contract:
//   stdout  "CASE <name> PASS|FAIL <details>" per scenario, "BENCH ..." lines (echoed here);
//   stderr  the log, shown when a scenario did not run (set-up failed).
// Header-only; used by the tst_e2e_* wrappers next to each script.
#pragma once

#include <QMap>
#include <QPair>
#include <QProcess>
#include <QString>
#include <QtTest>

class ScenarioScript {
public:
    // Runs `bash <script> <build dir>`; false (with the reason in error()) if it did not finish.
    bool run(const QString &script, int timeoutMs)
    {
        m_name = script.section('/', -1);
        QProcess p;
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start(QStringLiteral("bash"), {script, qEnvironmentVariable("MIDONET_BUILD_DIR")});
        if (!p.waitForFinished(timeoutMs)) {
            m_error = m_name + QStringLiteral(" did not finish in %1 s").arg(timeoutMs / 1000);
            return false;
        }
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        m_log = QString::fromUtf8(p.readAllStandardError());
        for (const QString &line : out.split('\n')) {
            if (line.startsWith(QLatin1String("BENCH "))) qInfo("%s", qPrintable(line));
            if (!line.startsWith(QLatin1String("CASE "))) continue;
            const QStringList f = line.split(' ');
            if (f.size() >= 3) m_results[f[1]] = {f[2] == QLatin1String("PASS"), f.mid(3).join(' ')};
        }
        if (m_results.isEmpty()) qWarning("%s set-up failed:\n%s", qPrintable(m_name), qPrintable(m_log.right(4000)));
        return true;
    }
    QString error() const { return m_error; }

    // One row: the scenario ran and passed.
    void verify(const QString &scenario) const
    {
        QVERIFY2(m_results.contains(scenario),
                 qPrintable(QStringLiteral("scenario did not run; %1 said:\n").arg(m_name) + m_log.right(3000)));
        const auto r = m_results.value(scenario);
        qInfo("%s: %s", qPrintable(scenario), qPrintable(r.second));
        QVERIFY2(r.first, qPrintable(r.second));
    }

private:
    QString m_name, m_error, m_log;
    QMap<QString, QPair<bool, QString>> m_results;
};
