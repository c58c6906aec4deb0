// Fetches the signed-in user's picture (the ID token's `picture` claim) for the window's account view:
// https only (plain http on loopback, for the sandbox), at most MaxBytes, a short timeout, no redirect
// followed, not recorded in the flow trace (it is not part of the federation). A picture fetched is kept
// on disk (HttpCacheFile) for the lifetime its server gave, so a start within it makes no request. The
// window only turns the bytes into a pixmap: the UI library never builds an HTTP request.
#pragma once

#include "common/backgroundwork.h"
#include "common/usererror.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QVariant>

#include <functional>

namespace fedsync {

class HttpJob;
class NetworkContext;

class AvatarFetch final : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 MaxBytes = 1024 * 1024;
    static constexpr int TimeoutMs = 15 * 1000;

    // `cacheDirectory`: where pictures are kept (HttpCacheFile::picturesDirectory(); empty: not kept).
    explicit AvatarFetch(const NetworkContext &network, QString cacheDirectory = {},
                         QObject *parent = nullptr);
    ~AvatarFetch() override;

    // Starts fetching `url`, replacing a fetch still under way. Ends in fetched() (from the disk when the
    // kept copy is fresh, read on a worker thread; always after this call returns), then prepared() when a
    // preparer is set; or in failed().
    void fetch(const QUrl &url);
    // Drops the fetch under way, if any, without a word (nothing is kept, nothing emitted).
    void cancel();

    // What the front end shows is made from the bytes by `prepare` (decoding an image of up to MaxBytes,
    // scaling it), run after each fetched(): on the worker thread for a picture of
    // BackgroundWork::LargeBytes or more, at once for a smaller one. It must touch nothing but its
    // argument. Its result comes with prepared(). The core has no Qt Gui; the window passes its decoder in.
    using Preparer = std::function<QVariant(const QByteArray &image)>;
    void setPreparer(Preparer prepare) { m_prepare = std::move(prepare); }

Q_SIGNALS:
    // The image file as served (any format the front end can decode).
    void fetched(const QByteArray &image);
    // What the preparer made of the picture fetched() just carried (null when it could not); not emitted
    // when the fetch was cancelled or replaced meanwhile.
    void prepared(const QVariant &picture);
    // Not fetched: refused URL, no answer, HTTP error, empty or too large. The window keeps its placeholder.
    void failed(const fedsync::UserError &error);

private:
    void startRequest(const QUrl &url);
    void deliver(const QByteArray &image, quint64 generation);

    const NetworkContext &m_network;
    QString m_cacheDirectory;
    BackgroundWork m_disk{QStringLiteral("fedsync.avatar")}; // reads the kept picture, runs m_prepare
    Preparer m_prepare;
    QPointer<HttpJob> m_job;
    quint64 m_generation = 0; // which fetch() a picture read from the disk answers
};

} // namespace fedsync
