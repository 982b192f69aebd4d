#include "serve/wakeablethread.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

namespace pecast::serve {

Status WakeableThread::init()
{
    m_wakeFd = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!m_wakeFd.valid())
        return Error::fromErrno(errno, QStringLiteral("creating an eventfd"));
    return {};
}

void WakeableThread::start(std::function<void()> body)
{
    m_thread = std::thread(std::move(body));
}

void WakeableThread::stop()
{
    if (!m_thread.joinable())
        return;
    m_stopping = true;
    const quint64 one = 1;
    [[maybe_unused]] auto n = ::write(m_wakeFd.get(), &one, sizeof one);
    m_thread.join();
}

} // namespace pecast::serve
