// The identity card's rules that several places share: which datasets a list of the user's datasets
// shows (the editor's and `fedsync-cli datasets` use the one function), and the key the DynamoDB store
// gives the card's email and sub items for the card index (what support's find looks up).
#include "sync/dynamodbschema.h"
#include "sync/identitycard.h"
#include "sync/synctypes.h"
#include "testmain.h"

using namespace fedsync;

class TestIdentityCard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void userDatasetsLeaveFedsyncsOwnOut();
    void cardIndexKeys();
};

void TestIdentityCard::userDatasetsLeaveFedsyncsOwnOut()
{
    QList<LocalDataset> all;
    for (const char *name :
         {"alpha", "fedsync.identity", "fedsync.other", "fedsync", "fedsync_notes", "zeta"}) {
        LocalDataset dataset;
        dataset.name = QString::fromLatin1(name);
        all << dataset;
    }
    all[5].deleted = true; // a pending deletion is still the user's: each list decides how to show it
    QStringList names;
    for (const LocalDataset &dataset : IdentityCard::userDatasets(all))
        names << dataset.name;
    QCOMPARE(names, (QStringList{QStringLiteral("alpha"), QStringLiteral("fedsync"),
                                 QStringLiteral("fedsync_notes"), QStringLiteral("zeta")}));
    QVERIFY(IdentityCard::userDatasets({}).isEmpty());
}

void TestIdentityCard::cardIndexKeys()
{
    const QString card = IdentityCard::datasetName();
    QCOMPARE(dynamodb::cardLookup(card, QStringLiteral("email"), QStringLiteral(" Alice@Example.COM ")),
             QStringLiteral("email#alice@example.com"));
    QCOMPARE(dynamodb::cardLookup(card, QStringLiteral("sub"), QStringLiteral("auth0|Abc")),
             QStringLiteral("sub#auth0|Abc")); // a sub is compared exactly
    // Not in the index: other fields, other datasets, removals, empty values.
    QCOMPARE(dynamodb::cardLookup(card, QStringLiteral("name"), QStringLiteral("Alice")), QString());
    QCOMPARE(dynamodb::cardLookup(QStringLiteral("notes"), QStringLiteral("email"), QStringLiteral("a@b.c")),
             QString());
    QCOMPARE(dynamodb::cardLookup(card, QStringLiteral("email"), std::nullopt), QString());
    QCOMPARE(dynamodb::cardLookup(card, QStringLiteral("email"), QStringLiteral("  ")), QString());
    QCOMPARE(dynamodb::cardLookup(card, QStringLiteral("sub"), QString()), QString());
    // What find asks for matches what a write stored.
    QCOMPARE(dynamodb::cardLookupByEmail(QStringLiteral("ALICE@example.com")),
             dynamodb::cardLookup(card, QStringLiteral("email"), QStringLiteral("alice@EXAMPLE.com")));
}

FEDSYNC_TEST_MAIN(TestIdentityCard)
#include "tst_identitycard.moc"
