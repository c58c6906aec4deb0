// EndpointResolver: the AWS SDKs' precedence (service variable, AWS_ENDPOINT_URL, profile, regional),
// with an injected environment, and where each answer came from.
#include "config/endpointresolver.h"
#include "testmain.h"

using namespace fedsync;

using Source = EndpointResolver::Source;

class TestEndpointResolver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dynamoDbPrecedence();
    void precedence_data();
    void precedence();
    void unusableValues_data();
    void unusableValues();
    void describe();
};

void TestEndpointResolver::precedence_data()
{
    QTest::addColumn<QStringList>("environment"); // NAME=value
    QTest::addColumn<int>("service");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("profileOverride");
    QTest::addColumn<QString>("expectedUrl");
    QTest::addColumn<int>("expectedSource");
    QTest::addColumn<QString>("expectedOrigin");

    const int identity = int(AwsService::CognitoIdentity);
    const int sts = int(AwsService::Sts);
    const int sync = int(AwsService::CognitoSync);
    const QString region = QStringLiteral("eu-west-1");
    const QString sandbox = QStringLiteral("https://127.0.0.1:18441/");

    QTest::newRow("regional identity") << QStringList() << identity << region << QString()
                                       << QStringLiteral("https://cognito-identity.eu-west-1.amazonaws.com/")
                                       << int(Source::RegionalDefault) << region;
    QTest::newRow("regional sts") << QStringList() << sts << QStringLiteral("us-east-1") << QString()
                                  << QStringLiteral("https://sts.us-east-1.amazonaws.com/")
                                  << int(Source::RegionalDefault) << QStringLiteral("us-east-1");
    QTest::newRow("regional sync") << QStringList() << sync << region << QString()
                                   << QStringLiteral("https://cognito-sync.eu-west-1.amazonaws.com/")
                                   << int(Source::RegionalDefault) << region;
    QTest::newRow("china") << QStringList() << identity << QStringLiteral("cn-north-1") << QString()
                           << QStringLiteral("https://cognito-identity.cn-north-1.amazonaws.com.cn/")
                           << int(Source::RegionalDefault) << QStringLiteral("cn-north-1");
    QTest::newRow("china sts") << QStringList() << sts << QStringLiteral("cn-northwest-1") << QString()
                               << QStringLiteral("https://sts.cn-northwest-1.amazonaws.com.cn/")
                               << int(Source::RegionalDefault) << QStringLiteral("cn-northwest-1");
    QTest::newRow("govcloud") << QStringList() << sts << QStringLiteral("us-gov-west-1") << QString()
                              << QStringLiteral("https://sts.us-gov-west-1.amazonaws.com/")
                              << int(Source::RegionalDefault) << QStringLiteral("us-gov-west-1");
    QTest::newRow("profile beats regional")
        << QStringList() << identity << region << sandbox << sandbox << int(Source::Profile) << QString();
    QTest::newRow("profile without region")
        << QStringList() << identity << QString() << sandbox << sandbox << int(Source::Profile) << QString();
    QTest::newRow("profile override gets a path")
        << QStringList() << sts << region << QStringLiteral("https://127.0.0.1:18442")
        << QStringLiteral("https://127.0.0.1:18442/") << int(Source::Profile) << QString();
    QTest::newRow("global beats profile")
        << QStringList{QStringLiteral("AWS_ENDPOINT_URL=http://localhost:4566")} << identity << region
        << sandbox << QStringLiteral("http://localhost:4566/") << int(Source::GlobalEnvironment)
        << QStringLiteral("AWS_ENDPOINT_URL");
    QTest::newRow("service beats global")
        << QStringList{QStringLiteral("AWS_ENDPOINT_URL=http://localhost:4566"),
                       QStringLiteral("AWS_ENDPOINT_URL_STS=https://sts.example.test/")}
        << sts << region << sandbox << QStringLiteral("https://sts.example.test/")
        << int(Source::ServiceEnvironment) << QStringLiteral("AWS_ENDPOINT_URL_STS");
    QTest::newRow("identity variable")
        << QStringList{QStringLiteral("AWS_ENDPOINT_URL_COGNITO_IDENTITY=https://id.example.test/")}
        << identity << region << QString() << QStringLiteral("https://id.example.test/")
        << int(Source::ServiceEnvironment) << QStringLiteral("AWS_ENDPOINT_URL_COGNITO_IDENTITY");
    QTest::newRow("sync variable") << QStringList{QStringLiteral(
                                          "AWS_ENDPOINT_URL_COGNITO_SYNC=https://sync.example.test/")}
                                   << sync << region << QString()
                                   << QStringLiteral("https://sync.example.test/")
                                   << int(Source::ServiceEnvironment)
                                   << QStringLiteral("AWS_ENDPOINT_URL_COGNITO_SYNC");
    QTest::newRow("other service's variable")
        << QStringList{QStringLiteral("AWS_ENDPOINT_URL_STS=https://sts.example.test/")} << identity << region
        << sandbox << sandbox << int(Source::Profile) << QString();
    QTest::newRow("empty variables ignored")
        << QStringList{QStringLiteral("AWS_ENDPOINT_URL="), QStringLiteral("AWS_ENDPOINT_URL_STS= ")} << sts
        << region << QString() << QStringLiteral("https://sts.eu-west-1.amazonaws.com/")
        << int(Source::RegionalDefault) << region;
    QTest::newRow("configured endpoints ignored")
        << QStringList{QStringLiteral("AWS_ENDPOINT_URL=http://localhost:4566"),
                       QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true")}
        << sts << region << sandbox << sandbox << int(Source::Profile) << QString();
    QTest::newRow("ignore switch off")
        << QStringList{QStringLiteral("AWS_ENDPOINT_URL=http://localhost:4566"),
                       QStringLiteral("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false")}
        << sts << region << sandbox << QStringLiteral("http://localhost:4566/")
        << int(Source::GlobalEnvironment) << QStringLiteral("AWS_ENDPOINT_URL");
}

void TestEndpointResolver::precedence()
{
    QFETCH(QStringList, environment);
    QFETCH(int, service);
    QFETCH(QString, region);
    QFETCH(QString, profileOverride);
    QFETCH(QString, expectedUrl);
    QFETCH(int, expectedSource);
    QFETCH(QString, expectedOrigin);

    QProcessEnvironment env;
    for (const QString &entry : std::as_const(environment)) {
        const qsizetype eq = entry.indexOf(QLatin1Char('='));
        env.insert(entry.left(eq), entry.mid(eq + 1));
    }
    CognitoSettings cognito;
    cognito.region = region;
    cognito.setEndpointOverride(static_cast<AwsService>(service), profileOverride);

    const EndpointResolver resolver(env);
    const EndpointResolver::Endpoint endpoint = resolver.resolve(static_cast<AwsService>(service), cognito);
    QVERIFY2(endpoint.isValid(), qPrintable(endpoint.error.text()));
    QCOMPARE(endpoint.url.toString(), expectedUrl);
    QCOMPARE(int(endpoint.source), expectedSource);
    QCOMPARE(endpoint.origin, expectedOrigin);
}

void TestEndpointResolver::unusableValues_data()
{
    QTest::addColumn<QStringList>("environment");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("profileOverride");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("source");

    QTest::newRow("insecure variable")
        << QStringList{QStringLiteral("AWS_ENDPOINT_URL_STS=http://sts.example.test/")}
        << QStringLiteral("eu-west-1") << QString() << QStringLiteral("config.endpoint.environment")
        << int(Source::ServiceEnvironment);
    QTest::newRow("garbage variable")
        << QStringList{QStringLiteral("AWS_ENDPOINT_URL=not a url")} << QStringLiteral("eu-west-1")
        << QString() << QStringLiteral("config.endpoint.environment") << int(Source::GlobalEnvironment);
    QTest::newRow("insecure override")
        << QStringList() << QStringLiteral("eu-west-1") << QStringLiteral("http://sts.example.test/")
        << QStringLiteral("net.url.insecure") << int(Source::Profile);
    QTest::newRow("no region") << QStringList() << QString() << QString()
                               << QStringLiteral("config.endpoint.noregion") << int(Source::None);
}

void TestEndpointResolver::unusableValues()
{
    QFETCH(QStringList, environment);
    QFETCH(QString, region);
    QFETCH(QString, profileOverride);
    QFETCH(QString, code);
    QFETCH(int, source);

    QProcessEnvironment env;
    for (const QString &entry : std::as_const(environment)) {
        const qsizetype eq = entry.indexOf(QLatin1Char('='));
        env.insert(entry.left(eq), entry.mid(eq + 1));
    }
    CognitoSettings cognito;
    cognito.region = region;
    cognito.stsEndpoint = profileOverride;
    const EndpointResolver::Endpoint endpoint = EndpointResolver(env).resolve(AwsService::Sts, cognito);
    QVERIFY(!endpoint.isValid());
    QCOMPARE(endpoint.error.code, code);
    QCOMPARE(int(endpoint.source), source);
    QVERIFY(!endpoint.error.action.isEmpty());
}

void TestEndpointResolver::describe()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("AWS_ENDPOINT_URL_STS"), QStringLiteral("https://sts.example.test/"));
    const EndpointResolver resolver(env);
    CognitoSettings cognito;
    cognito.region = QStringLiteral("eu-west-1");
    cognito.cognitoSyncEndpoint = QStringLiteral("https://127.0.0.1:18443/");
    QVERIFY(resolver.resolve(AwsService::Sts, cognito)
                .describe()
                .contains(QStringLiteral("AWS_ENDPOINT_URL_STS")));
    QVERIFY(resolver.resolve(AwsService::CognitoIdentity, cognito)
                .describe()
                .contains(QStringLiteral("eu-west-1")));
    QVERIFY(
        resolver.resolve(AwsService::CognitoSync, cognito).describe().contains(QStringLiteral("profile")));
    QCOMPARE(EndpointResolver::environmentVariable(AwsService::CognitoSync),
             QStringLiteral("AWS_ENDPOINT_URL_COGNITO_SYNC"));
    QVERIFY(!EndpointResolver::regionalEndpoint(AwsService::Sts, QString()).isValid());
}

void TestEndpointResolver::dynamoDbPrecedence()
{
    CognitoSettings cognito;
    cognito.region = QStringLiteral("eu-west-1");
    // The table's region, not the pool's, unless the profile leaves it empty.
    const QProcessEnvironment none;
    QCOMPARE(EndpointResolver(none).resolve(AwsService::DynamoDb, cognito).url,
             QUrl(QStringLiteral("https://dynamodb.eu-west-1.amazonaws.com/")));
    cognito.dynamoDbRegion = QStringLiteral("us-east-2");
    QCOMPARE(EndpointResolver(none).resolve(AwsService::DynamoDb, cognito).url,
             QUrl(QStringLiteral("https://dynamodb.us-east-2.amazonaws.com/")));
    cognito.dynamoDbEndpoint = QStringLiteral("https://127.0.0.1:18445/");
    QCOMPARE(EndpointResolver(none).resolve(AwsService::DynamoDb, cognito).source,
             EndpointResolver::Source::Profile);
    QProcessEnvironment env;
    env.insert(QStringLiteral("AWS_ENDPOINT_URL_DYNAMODB"), QStringLiteral("https://ddb.example.test/"));
    const EndpointResolver::Endpoint fromEnv = EndpointResolver(env).resolve(AwsService::DynamoDb, cognito);
    QCOMPARE(fromEnv.source, EndpointResolver::Source::ServiceEnvironment);
    QCOMPARE(fromEnv.url, QUrl(QStringLiteral("https://ddb.example.test/")));
    QCOMPARE(EndpointResolver::environmentVariable(AwsService::DynamoDb),
             QStringLiteral("AWS_ENDPOINT_URL_DYNAMODB"));
}

FEDSYNC_TEST_MAIN(TestEndpointResolver)
#include "tst_endpointresolver.moc"
