// The pipe between the app and its sign-in page process: the line format both sides read
// (signinpage::LineReader), and the page process's side of the sign-in (RelayedSignInFlow) over a real
// pipe pair: what it tells the app, that it passes on only its own redirect and only once, that the
// app's answers reach the window as SignInFlow's signals, and that an app that went away is noticed.
#include "testmain.h"
#include "usecases/relayedsigninflow.h"
#include "usecases/signinpagerelay.h"

#include <QJsonDocument>
#include <QSignalSpy>

#include <fcntl.h>
#include <unistd.h>

using namespace fedsync;
namespace page = fedsync::signinpage;

class TestSignInPageRelay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void linesArriveInPieces();
    void aLineThatIsNotJsonEndsTheConversation();
    void anEndlessLineEndsTheConversation();
    void errorsCrossIntact();
    void thePageTellsTheAppWhatItDoes();
    void onlyItsOwnRedirectIsPassedOnOnce();
    void theAppsAnswersReachTheWindow();
    void anAppThatWentAwayIsNoticed();

private:
    struct Pipes
    {
        int appReads = -1, pageWrites = -1; // page -> app
        int pageReads = -1, appWrites = -1; // app -> page
        ~Pipes()
        {
            for (int fd : {appReads, pageWrites, pageReads, appWrites})
                if (fd >= 0)
                    ::close(fd);
        }
    };
    static bool open(Pipes &pipes);
    // Every message the page wrote so far.
    static QList<page::Message> readFromPage(Pipes &pipes);
};

bool TestSignInPageRelay::open(Pipes &pipes)
{
    int toApp[2], toPage[2];
    if (::pipe2(toApp, O_CLOEXEC | O_NONBLOCK) != 0 || ::pipe2(toPage, O_CLOEXEC) != 0)
        return false;
    pipes.appReads = toApp[0];
    pipes.pageWrites = toApp[1];
    pipes.pageReads = toPage[0];
    pipes.appWrites = toPage[1];
    return true;
}

QList<page::Message> TestSignInPageRelay::readFromPage(Pipes &pipes)
{
    page::LineReader reader;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(pipes.appReads, buffer, sizeof buffer)) > 0)
        reader.append(QByteArray(buffer, qsizetype(n)));
    QList<page::Message> messages;
    while (std::optional<page::Message> message = reader.next())
        messages << *message;
    return messages;
}

void TestSignInPageRelay::linesArriveInPieces()
{
    page::LineReader reader;
    const QByteArray both = page::encode(page::kind::Start, {{QStringLiteral("redirect_uri"), QStringLiteral("org.fedsync.app://callback")}}) +
                            page::encode(page::kind::Cancel);
    reader.append(both.left(7));
    QVERIFY(!reader.next());
    reader.append(both.mid(7));
    const std::optional<page::Message> first = reader.next();
    QVERIFY(first);
    QCOMPARE(first->type, QStringLiteral("start"));
    QCOMPARE(first->fields.value(QStringLiteral("redirect_uri")).toString(), QStringLiteral("org.fedsync.app://callback"));
    const std::optional<page::Message> second = reader.next();
    QVERIFY(second);
    QCOMPARE(second->type, QStringLiteral("cancel"));
    QVERIFY(!reader.next());
    QVERIFY(!reader.broken());
}

void TestSignInPageRelay::aLineThatIsNotJsonEndsTheConversation()
{
    for (const QByteArray &line : {QByteArray("hello\n"), QByteArray("[1,2]\n"), QByteArray("{\"no\":\"type\"}\n")}) {
        page::LineReader reader;
        reader.append(line + page::encode(page::kind::Cancel));
        QVERIFY2(!reader.next(), line.constData());
        QVERIFY(reader.broken());
        QVERIFY(!reader.next()); // nothing after it is believed either
    }
}

void TestSignInPageRelay::anEndlessLineEndsTheConversation()
{
    page::LineReader reader;
    const QByteArray chunk(64 * 1024, 'x');
    for (qsizetype sent = 0; sent <= page::MaxLine && !reader.broken(); sent += chunk.size())
        reader.append(chunk);
    QVERIFY(reader.broken());
    reader.append("\n" + page::encode(page::kind::Cancel));
    QVERIFY(!reader.next());
}

void TestSignInPageRelay::errorsCrossIntact()
{
    const UserError error = UserError::make(QStringLiteral("oidc.token.expired"), QStringLiteral("The sign-in expired"),
                                            QStringLiteral("It took too long"), QStringLiteral("Sign in again"));
    page::LineReader reader;
    reader.append(page::encode(page::kind::Failed, {{QStringLiteral("error"), page::errorToJson(error)}}));
    const std::optional<page::Message> message = reader.next();
    QVERIFY(message);
    const UserError back = page::errorFromJson(message->fields.value(QStringLiteral("error")).toObject());
    QCOMPARE(back.code, error.code);
    QCOMPARE(back.what, error.what);
    QCOMPARE(back.why, error.why);
    QCOMPARE(back.action, error.action);
}

void TestSignInPageRelay::thePageTellsTheAppWhatItDoes()
{
    Pipes pipes;
    QVERIFY(open(pipes));
    RelayedSignInFlow flow(pipes.pageReads, pipes.pageWrites);
    flow.start(QUrl(QStringLiteral("org.fedsync.app://callback")));
    QVERIFY(flow.isBusy());
    flow.reportPageLoaded(true);
    flow.cancel();
    QVERIFY(!flow.isBusy());
    flow.cancel(); // once is enough
    const QList<page::Message> messages = readFromPage(pipes);
    QCOMPARE(messages.size(), 3);
    QCOMPARE(messages.at(0).type, QStringLiteral("start"));
    QCOMPARE(messages.at(0).fields.value(QStringLiteral("redirect_uri")).toString(), QStringLiteral("org.fedsync.app://callback"));
    QCOMPARE(messages.at(1).type, QStringLiteral("loaded"));
    QCOMPARE(messages.at(1).fields.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(messages.at(2).type, QStringLiteral("cancel"));
}

void TestSignInPageRelay::onlyItsOwnRedirectIsPassedOnOnce()
{
    Pipes pipes;
    QVERIFY(open(pipes));
    RelayedSignInFlow flow(pipes.pageReads, pipes.pageWrites);
    flow.handleRedirect(QUrl(QStringLiteral("org.fedsync.app://callback?code=early"))); // not started
    flow.start(QUrl(QStringLiteral("org.fedsync.app://callback")));
    flow.handleRedirect(QUrl(QStringLiteral("org.fedsync.app://logout?x=1")));
    flow.handleRedirect(QUrl(QStringLiteral("https://evil.example/callback?code=abc")));
    flow.handleRedirect(QUrl(QStringLiteral("org.fedsync.app://callback?code=abc&state=s")));
    flow.handleRedirect(QUrl(QStringLiteral("org.fedsync.app://callback?code=again&state=s")));
    const QList<page::Message> messages = readFromPage(pipes);
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(1).type, QStringLiteral("redirect"));
    QCOMPARE(messages.at(1).fields.value(QStringLiteral("url")).toString(),
             QStringLiteral("org.fedsync.app://callback?code=abc&state=s"));
}

void TestSignInPageRelay::theAppsAnswersReachTheWindow()
{
    Pipes pipes;
    QVERIFY(open(pipes));
    RelayedSignInFlow flow(pipes.pageReads, pipes.pageWrites);
    QSignalSpy hello(&flow, &RelayedSignInFlow::helloReceived);
    QSignalSpy url(&flow, &SignInPageFlow::authorizationUrlReady);
    QSignalSpy exchanging(&flow, &SignInPageFlow::exchanging);
    QSignalSpy failed(&flow, &SignInPageFlow::failed);
    QSignalSpy succeeded(&flow, &SignInPageFlow::succeeded);

    const QByteArray lines =
        page::encode(page::kind::Hello, {{QStringLiteral("profile"), QJsonObject{{QStringLiteral("name"), QStringLiteral("Work")}}},
                                         {QStringLiteral("explanation"), page::errorToJson(UserError::make(QStringLiteral("x"), QStringLiteral("Your sign-in expired")))},
                                         {QStringLiteral("parent_window"), 4194311}}) +
        page::encode(page::kind::Open, {{QStringLiteral("url"), QStringLiteral("https://tenant.example/authorize?client_id=c")}}) +
        page::encode(page::kind::Exchanging) +
        page::encode(page::kind::Failed, {{QStringLiteral("error"), page::errorToJson(UserError::make(QStringLiteral("oidc.nonce"), QStringLiteral("The ID token was refused")))}}) +
        page::encode(page::kind::Succeeded);
    QCOMPARE(::write(pipes.appWrites, lines.constData(), size_t(lines.size())), ssize_t(lines.size()));
    QTRY_COMPARE(succeeded.count(), 1);
    QCOMPARE(hello.count(), 1);
    QCOMPARE(QJsonDocument::fromJson(hello.first().at(0).toByteArray()).object().value(QStringLiteral("name")).toString(), QStringLiteral("Work"));
    QCOMPARE(hello.first().at(1).value<UserError>().what, QStringLiteral("Your sign-in expired"));
    QCOMPARE(hello.first().at(2).value<quint64>(), quint64(4194311)); // the app's window
    QCOMPARE(url.count(), 1);
    QCOMPARE(url.first().first().toUrl(), QUrl(QStringLiteral("https://tenant.example/authorize?client_id=c")));
    QCOMPARE(exchanging.count(), 1);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.first().first().value<UserError>().code, QStringLiteral("oidc.nonce"));
}

void TestSignInPageRelay::anAppThatWentAwayIsNoticed()
{
    Pipes pipes;
    QVERIFY(open(pipes));
    RelayedSignInFlow flow(pipes.pageReads, pipes.pageWrites);
    QSignalSpy gone(&flow, &RelayedSignInFlow::disconnected);
    ::close(pipes.appWrites);
    pipes.appWrites = -1;
    QTRY_COMPARE(gone.count(), 1);
}

FEDSYNC_TEST_MAIN(TestSignInPageRelay)
#include "tst_signinpagerelay.moc"
