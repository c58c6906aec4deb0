#include "command.h"

#include <QCoreApplication>

namespace fedsync::cli {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("fedsync-cli", text);
}

// Wraps each line of `text` to the width left after `indent` columns; a wrapped line goes on at
// `indent` plus the line's own leading spaces.
QString wrapped(const QString &text, qsizetype indent, qsizetype width = 100)
{
    QStringList lines;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        qsizetype lead = 0;
        while (lead < line.size() && line.at(lead) == QLatin1Char(' '))
            ++lead;
        const qsizetype room = qMax<qsizetype>(30, width - indent - lead);
        if (line.size() - lead <= room) {
            lines << line; // fits: its own spacing stays (aligned lists)
            continue;
        }
        QString out = line.left(lead);
        qsizetype column = 0;
        for (const QString &word : line.mid(lead).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            if (column > 0 && column + 1 + word.size() > room) {
                out += QLatin1Char('\n') + QString(indent + lead, QLatin1Char(' '));
                column = 0;
            } else if (column > 0) {
                out += QLatin1Char(' ');
                ++column;
            }
            out += word;
            column += word.size();
        }
        lines << out;
    }
    return lines.join(QLatin1Char('\n'));
}
} // namespace

Command::Command(QString name, QString summary)
    : m_name(std::move(name))
    , m_summary(std::move(summary))
{}

Command::~Command() = default;

void Command::addArgument(QString name, QString description, QString syntax)
{
    if (syntax.isEmpty())
        syntax = name;
    m_arguments.append({std::move(name), std::move(description), std::move(syntax)});
}

QString optionSyntax(const QCommandLineOption &option)
{
    QStringList names;
    for (const QString &name : option.names())
        names << (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name;
    QString syntax = names.join(QStringLiteral(", "));
    if (!option.valueName().isEmpty())
        syntax += QStringLiteral(" <%1>").arg(option.valueName());
    return syntax;
}

QString formatHelpRows(const QList<std::pair<QString, QString>> &rows)
{
    qsizetype width = 0;
    for (const auto &[syntax, text] : rows)
        width = qMax(width, syntax.size());
    width = qMin<qsizetype>(width, 30);
    QString out;
    for (const auto &[syntax, text] : rows) {
        QString line = QStringLiteral("  ") + syntax;
        if (syntax.size() > width)
            line += QLatin1Char('\n') + QString(width + 2, QLatin1Char(' '));
        else
            line += QString(width - syntax.size(), QLatin1Char(' '));
        out += line + QStringLiteral("  ") + wrapped(text, width + 4) + QLatin1Char('\n');
    }
    return out;
}

QString Command::helpText() const
{
    QString usage = m_usage;
    if (usage.isEmpty()) {
        QStringList parts;
        if (!m_options.isEmpty() || printsJson())
            parts << tr("[options]");
        for (const Argument &argument : m_arguments)
            parts << argument.syntax;
        usage = parts.join(QLatin1Char(' '));
    }
    QString text = tr("Usage: fedsync-cli [global options] %1 %2").arg(m_name, usage).trimmed() +
                   QStringLiteral("\n\n") + wrapped(m_description.isEmpty() ? m_summary : m_description, 0) +
                   QLatin1Char('\n');
    if (!m_arguments.isEmpty()) {
        QList<std::pair<QString, QString>> rows;
        for (const Argument &argument : m_arguments)
            rows.append({argument.name, argument.description});
        text += QLatin1Char('\n') + tr("Arguments:") + QLatin1Char('\n') + formatHelpRows(rows);
    }
    QList<std::pair<QString, QString>> rows;
    for (const QCommandLineOption &option : m_options)
        rows.append({optionSyntax(option), option.description()});
    if (printsJson())
        rows.append({QStringLiteral("--json"), m_jsonHelp});
    rows.append({QStringLiteral("-h, --help"), tr("Show this help.")});
    text += QLatin1Char('\n') + tr("Options:") + QLatin1Char('\n') + formatHelpRows(rows);
    text += QLatin1Char('\n') +
            wrapped(tr("Global options (--profile-file, --profile, --trace-out; see fedsync-cli --help) go "
                       "before or after the command."),
                    0) +
            QLatin1Char('\n');
    return text;
}

} // namespace fedsync::cli
