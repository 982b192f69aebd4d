#pragma once

// Shared by the multicast tests: random images and many fetch clients at once.

#include "serve/fetchclient.h"
#include "util/filehash.h"

#include <QFile>
#include <QString>

#include <random>
#include <thread>
#include <vector>

namespace pecast::test {

// Writes `size` pseudo-random bytes; returns the file's SHA-256 (independent of the servers).
inline QString writeRandomFile(const QString &path, qint64 size, quint64 seed)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    std::mt19937_64 random(seed);
    QByteArray chunk(1 << 16, Qt::Uninitialized);
    for (qint64 done = 0; done < size;) {
        auto *words = reinterpret_cast<quint64 *>(chunk.data());
        for (int i = 0; i < chunk.size() / 8; ++i)
            words[i] = random();
        const qint64 n = std::min<qint64>(chunk.size(), size - done);
        file.write(chunk.constData(), n);
        done += n;
    }
    file.close();
    auto hash = sha256File(path);
    return hash ? *hash : QString();
}

struct ClientRun
{
    std::vector<Result<serve::FetchStats>> results;
    std::vector<QString> outputs;
};

// Starts `count` clients on `url`, client i after i * staggerMs, each writing dir/client<i>.
inline ClientRun runClients(const QString &url, const QString &dir, int count, int staggerMs,
    double lossPercent, const QString &interface = QStringLiteral("127.0.0.1"))
{
    ClientRun run;
    std::vector<std::optional<Result<serve::FetchStats>>> results(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i)
        run.outputs.push_back(QStringLiteral("%1/client%2").arg(dir).arg(i));
    {
        std::vector<std::jthread> threads;
        for (int i = 0; i < count; ++i) {
            threads.emplace_back([&, i] {
                std::this_thread::sleep_for(std::chrono::milliseconds(i * staggerMs));
                serve::FetchOptions options;
                options.url = url;
                options.outputPath = run.outputs[size_t(i)];
                options.lossPercent = lossPercent;
                options.seed = 1000 + quint64(i);
                options.interface = interface;
                Progress progress;
                results[size_t(i)] = serve::fetchUrl(options, progress);
            });
        }
    }
    for (auto &r : results)
        run.results.push_back(std::move(*r));
    return run;
}

// The first client that failed or whose file's SHA-256 is not `expectedSha256`, as a message;
// empty when every client got the file.
inline QString downloadFailure(const ClientRun &run, const QString &expectedSha256)
{
    for (size_t i = 0; i < run.results.size(); ++i) {
        if (!run.results[i])
            return QStringLiteral("client %1: %2").arg(i).arg(run.results[i].error().toString());
        const auto hash = sha256File(run.outputs[i]);
        if (!hash || *hash != expectedSha256)
            return QStringLiteral("client %1: %2 has another SHA-256 than the image")
                .arg(i)
                .arg(run.outputs[i]);
    }
    return {};
}

} // namespace pecast::test
