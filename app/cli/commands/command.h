// One fedsync-cli command (the way KeePassXC's src/cli does it): its name, a one-line summary for
// `fedsync-cli --help`, its own options and arguments, its help text, and run(). CliApp parses the
// command line with the global options plus the command's own, then calls run(); the command reads
// them through CliApp::parser() / commandArguments() and ends with CliApp::finish() or fail().
// Commands that need the profile or a signed-in session get it from CliApp::context() / withSession().
#pragma once

#include <QCommandLineOption>
#include <QList>
#include <QString>

namespace fedsync::cli {

class CliApp;

class Command
{
public:
    // A positional argument as help shows it: `syntax` in the usage line, `name` and `description`
    // in the list of arguments.
    struct Argument
    {
        QString name;
        QString description;
        QString syntax;
    };

    virtual ~Command();
    Command(const Command &) = delete;
    Command &operator=(const Command &) = delete;

    const QString &name() const { return m_name; }
    const QString &summary() const { return m_summary; }
    const QList<QCommandLineOption> &options() const { return m_options; }
    // The command prints JSON with the global --json (its help lists --json among its options).
    bool printsJson() const { return !m_jsonHelp.isEmpty(); }
    // Usage, description, arguments and the command's own options.
    QString helpText() const;

    virtual void run(CliApp &app) = 0;

protected:
    Command(QString name, QString summary);

    void setDescription(QString description) { m_description = std::move(description); }
    void addOption(QCommandLineOption option) { m_options.append(std::move(option)); }
    void addArgument(QString name, QString description, QString syntax = {});
    // What --json prints for this command, for its help.
    void setJsonHelp(QString text) { m_jsonHelp = std::move(text); }
    // The usage line after the command's name, when the arguments' syntax does not say it all.
    void setUsage(QString usage) { m_usage = std::move(usage); }

private:
    QString m_name;
    QString m_summary;
    QString m_description;
    QString m_jsonHelp;
    QString m_usage;
    QList<QCommandLineOption> m_options;
    QList<Argument> m_arguments;
};

// Option and argument lists as help shows them: "  -X, --request <method>  text", aligned.
QString formatHelpRows(const QList<std::pair<QString, QString>> &rows);
// "-X, --request <method>"
QString optionSyntax(const QCommandLineOption &option);

} // namespace fedsync::cli
