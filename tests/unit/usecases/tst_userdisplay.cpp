// UserDisplay: the signed-in user's name as the window's heading and status bar and fedsync-cli's
// "Signed in as" and whoami show it, with its fallbacks.
#include "oidc/idtokenvalidator.h"
#include "testmain.h"
#include "usecases/userdisplay.h"

using namespace fedsync;

class TestUserDisplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void name_data();
    void name();
    void nameWithEmail_data();
    void nameWithEmail();
};

namespace {
IdTokenClaims claims(const QString &name, const QString &nickname, const QString &email)
{
    IdTokenClaims c;
    c.sub = QStringLiteral("auth0|123");
    c.name = name;
    c.nickname = nickname;
    c.email = email;
    return c;
}
} // namespace

void TestUserDisplay::name_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("nickname");
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("expected");
    QTest::newRow("name") << "Ada Lovelace"
                          << "ada"
                          << "ada@example.org"
                          << "Ada Lovelace";
    QTest::newRow("nickname") << ""
                              << "ada"
                              << "ada@example.org"
                              << "ada";
    QTest::newRow("email") << ""
                           << ""
                           << "ada@example.org"
                           << "ada@example.org";
    QTest::newRow("subject") << ""
                             << ""
                             << ""
                             << "auth0|123";
    QTest::newRow("blank name") << "  "
                                << "ada"
                                << ""
                                << "ada";
}

void TestUserDisplay::name()
{
    QFETCH(QString, name);
    QFETCH(QString, nickname);
    QFETCH(QString, email);
    QFETCH(QString, expected);
    QCOMPARE(UserDisplay::name(claims(name, nickname, email)), expected);
}

void TestUserDisplay::nameWithEmail_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("expected");
    QTest::newRow("both") << "Ada Lovelace"
                          << "ada@example.org"
                          << "Ada Lovelace <ada@example.org>";
    QTest::newRow("email is the name") << ""
                                       << "ada@example.org"
                                       << "ada@example.org";
    QTest::newRow("no email") << "Ada Lovelace"
                              << ""
                              << "Ada Lovelace";
    QTest::newRow("nothing") << ""
                             << ""
                             << "auth0|123";
}

void TestUserDisplay::nameWithEmail()
{
    QFETCH(QString, name);
    QFETCH(QString, email);
    QFETCH(QString, expected);
    QCOMPARE(UserDisplay::nameWithEmail(claims(name, {}, email)), expected);
}

FEDSYNC_TEST_MAIN(TestUserDisplay)
#include "tst_userdisplay.moc"
