// The main window: who is signed in, the account actions, and (once signed in) the dataset editor.
// It receives everything it works with from main(); it reaches for no global.
#pragma once

#include <QMainWindow>

#include <memory>

namespace Ui {
class MainWindow;
}

namespace fedsync::ui {

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void showAbout();

private:
    std::unique_ptr<Ui::MainWindow> m_ui;
};

} // namespace fedsync::ui
