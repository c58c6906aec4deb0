// A tiny command-line front end to KeychainSecretStore, run by tst_keychainsecretstore as a child
// process with a different session bus (one without a Secret Service). Prints the status name, then
// the error code and details, one per line, and for a read the value read. Usage: keychainprobe
// read|write|remove SERVICE KEY [VALUE] (FEDSYNC_PROBE_TIMEOUT_MS sets the store's timeout, 10 s by
// default; FEDSYNC_PROBE_QTKEYCHAIN=1 goes through QtKeychain, as Fedsync did before SecretServiceClient.)
#include "secrets/keychainsecretstore.h"

#include <QCoreApplication>
#include <QTextStream>

using namespace fedsync;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 4)
        return 2;
    const QString operation = args.at(1);
    KeychainSecretStore store(args.at(2), qEnvironmentVariableIsSet("FEDSYNC_PROBE_QTKEYCHAIN")
                                              ? KeychainSecretStore::Backend::QtKeychain
                                              : KeychainSecretStore::Backend::Automatic);
    bool haveTimeout = false;
    const int timeoutMs = qEnvironmentVariableIntValue("FEDSYNC_PROBE_TIMEOUT_MS", &haveTimeout);
    store.setTimeout(haveTimeout ? std::chrono::milliseconds(timeoutMs) : std::chrono::milliseconds(10000));

    const auto print = [](const SecretResult &result) {
        QTextStream out(stdout);
        out << SecretResult::statusName(result.status) << '\n'
            << result.error.code << '\n'
            << result.error.details << '\n'
            << QString::fromUtf8(result.value) << '\n';
        out.flush();
        QCoreApplication::exit(0);
    };
    if (operation == QLatin1String("read"))
        store.read(args.at(3), &app, print);
    else if (operation == QLatin1String("write"))
        store.write(args.at(3), args.value(4).toUtf8(), &app, print);
    else if (operation == QLatin1String("remove"))
        store.remove(args.at(3), &app, print);
    else
        return 2;
    return QCoreApplication::exec();
}
