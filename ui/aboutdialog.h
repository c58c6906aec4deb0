// The About box: name, version (from CMake), what Fedsync is, and the Qt version it runs on.
#pragma once

#include <QDialog>

class QLabel;

namespace fedsync::ui {

class AboutDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    QString versionText() const;

private:
    QLabel *m_version = nullptr;
};

} // namespace fedsync::ui
