// The one convention for asynchronous work in Fedsync: a callback is delivered queued (from the event
// loop, never from inside the call that started the work, so the caller's state is complete when it
// runs) and only while a context object lives (the object whose lifetime bounds the callback: when it is
// destroyed first, the callback is dropped, never run).
#pragma once

#include <QMetaObject>
#include <QObject>
#include <QPointer>

#include <type_traits>
#include <utility>

namespace fedsync {

// Runs `callback()` later, in `context`'s thread, unless `context` is destroyed before (or is null).
template<typename Callback> void deliverLater(QObject *context, Callback &&callback)
{
    if (context)
        QMetaObject::invokeMethod(context, std::forward<Callback>(callback), Qt::QueuedConnection);
}

// Wraps `callback` for an API that calls back: each call of the wrapper delivers `callback(args...)`
// later (deliverLater) with copies of the arguments, and only while `context` lives.
template<typename Callback> auto deliveredLater(QObject *context, Callback callback)
{
    return [guard = QPointer<QObject>(context), callback = std::move(callback)](auto &&...args) {
        if (!guard)
            return;
        deliverLater(guard.data(),
                     [callback, ... copies = std::decay_t<decltype(args)>(
                                    std::forward<decltype(args)>(args))]() mutable { callback(copies...); });
    };
}

} // namespace fedsync
