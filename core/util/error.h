#pragma once

// Errors without exceptions: every library PEcast wraps (wimlib, libntfs-3g, libguestfs,
// libarchive, POSIX) fails by return code, and Qt does not carry exceptions across signals.
// An Error is a copyable value: a stable code, a message for people, and a context chain that
// grows on the way up ("building image: writing \winpe.wim: No space left on device").

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <variant>

namespace pecast {

// Stable numbers, append-only (like wimlib's error codes). The CLI maps them to exit codes.
enum class Errc {
    Ok = 0,
    Cancelled = 1, // the user asked to stop; shown as neutral, not as a failure
    InvalidInput = 2, // the input is not what the operation accepts (format, option, value)
    Io = 3, // reading or writing failed
    NoSpace = 4, // a disk, filesystem or image ran out of room
    BadFormat = 5, // a file is corrupt or not of the expected kind
    Library = 6, // a library failed in a way not covered above
    Exists = 7, // the output exists and --force was not given
    NotFound = 8, // a file, path, image index or object is missing
    Unsupported = 9, // valid, but PEcast cannot handle it (yet)
    Network = 10, // binding, sending or receiving failed
};

class Error
{
public:
    Error() = default;
    Error(Errc code, QString message, int nativeCode = 0)
        : m_code(code)
        , m_message(std::move(message))
        , m_nativeCode(nativeCode)
    { }

    // From errno after a failed POSIX call: "open /x: No such file or directory".
    static Error fromErrno(int err, const QString &what);

    Errc code() const { return m_code; }
    int nativeCode() const { return m_nativeCode; }
    const QString &message() const { return m_message; }
    bool isCancelled() const { return m_code == Errc::Cancelled; }

    // Adds an outer context: the step or file that was being worked on.
    Error &&context(const QString &what) &&
    {
        m_context.prepend(what);
        return std::move(*this);
    }
    Error &context(const QString &what) &
    {
        m_context.prepend(what);
        return *this;
    }

    // "context: inner context: message"
    QString toString() const;
    QString hint() const { return m_hint; }
    Error &&withHint(const QString &hint) &&
    {
        m_hint = hint;
        return std::move(*this);
    }

private:
    Errc m_code = Errc::Library;
    QString m_message;
    QStringList m_context;
    QString m_hint; // what the user can do about it
    int m_nativeCode = 0;
};

Error cancelledError();

// A value or an Error. [[nodiscard]] so that a failure is never silently dropped.
template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_data(std::move(value))
    { }
    Result(Error error)
        : m_data(std::move(error))
    { }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<T>(m_data); }
    const T &value() const & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const & { return std::get<Error>(m_data); }
    Error &&error() && { return std::get<Error>(std::move(m_data)); }

private:
    std::variant<T, Error> m_data;
};

template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
    { }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const & { return *m_error; }
    Error &&error() && { return std::move(*m_error); }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace pecast

Q_DECLARE_METATYPE(pecast::Error)
