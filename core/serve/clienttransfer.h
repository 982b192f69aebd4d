#pragma once

// One HTTP response as seen by a listener (the wizard's Serve page, the CLI): who, what, how far.
// A value type, so it crosses from the server thread to the UI thread by a queued signal.

#include <QMetaType>
#include <QString>

namespace pecast::serve {

struct ClientTransfer
{
    enum class State {
        Started, // headers are being sent
        Progress, // body bytes went out (at most a few events a second per connection)
        Done, // the whole response was sent
        Aborted, // the client went away, timed out, or the server stopped
    };

    quint64 connectionId = 0; // unique per TCP connection while the server runs
    QString peer; // "192.168.1.20:49152"
    QString protocol = QStringLiteral("http"); // "http", later "slam", "tftm"
    QString name; // published name, "image.img"
    int status = 0; // HTTP status code
    qint64 offset = 0; // first byte of the body in the file (ranges)
    qint64 bytesSent = 0; // body bytes sent so far in this response
    qint64 total = 0; // body bytes of this response
    qint64 fileSize = 0; // size of the whole published file
    double rate = 0; // bytes per second since the response started
    State state = State::Started;
};

} // namespace pecast::serve

Q_DECLARE_METATYPE(pecast::serve::ClientTransfer)
