// fedsync-cli datasets / get / put / rm / sync / export / import: the signed-in user's datasets. Edits
// go to the local store (offline, pending until `sync`); `sync` talks to the profile's store.
#pragma once

#include "command.h"

namespace fedsync::cli {

class DatasetsCommand final : public Command
{
public:
    DatasetsCommand();
    void run(CliApp &app) override;
};

class GetCommand final : public Command
{
public:
    GetCommand();
    void run(CliApp &app) override;
};

class PutCommand final : public Command
{
public:
    PutCommand();
    void run(CliApp &app) override;
};

class RmCommand final : public Command
{
public:
    RmCommand();
    void run(CliApp &app) override;
};

class SyncCommand final : public Command
{
public:
    SyncCommand();
    void run(CliApp &app) override;
};

class ExportCommand final : public Command
{
public:
    ExportCommand();
    void run(CliApp &app) override;
};

class ImportCommand final : public Command
{
public:
    ImportCommand();
    void run(CliApp &app) override;
};

} // namespace fedsync::cli
