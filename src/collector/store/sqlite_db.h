// A thin RAII layer over the SQLite C API, just enough for the trace store:
// one connection, prepared statements with typed binds and column reads,
// and transactions that roll back unless committed.
//
// Nothing here is thread-safe: the store serializes access to a connection.
// Errors are reported as strings ("prepare: no such table: spans") so callers
// can pass them on; nothing throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace agenthub::collector {

class SqliteDb;

class SqliteStatement {
 public:
  SqliteStatement() = default;
  ~SqliteStatement();
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  bool valid() const { return stmt_ != nullptr; }

  // Binds are 1-based like SQLite's. Text and blobs are copied by SQLite
  // (SQLITE_TRANSIENT), so the arguments need not outlive the call.
  void BindInt(int index, int64_t value);
  void BindText(int index, std::string_view value);
  void BindBlob(int index, std::string_view value);
  void BindNull(int index);

  // Runs one step: true while a row is available. A finished statement (or
  // an error, see error()) gives false.
  bool Step();
  // Steps to the end; "" on success, else the error.
  std::string Run();
  // Ready to run again with new binds.
  void Reset();
  const std::string& error() const { return error_; }

  // Columns are 0-based like SQLite's. The views stay valid until the next
  // Step, Reset or destruction.
  int64_t ColumnInt(int index) const;
  std::string_view ColumnText(int index) const;
  std::string_view ColumnBlob(int index) const;
  bool ColumnIsNull(int index) const;

 private:
  friend class SqliteDb;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  sqlite3* db_ = nullptr;  // for error messages
  sqlite3_stmt* stmt_ = nullptr;
  std::string error_;  // the last Step's failure, "" if none
};

class SqliteDb {
 public:
  SqliteDb() = default;
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Opens (creating if needed) the database at `path`; ":memory:" is a
  // private in-memory database. "" on success.
  std::string Open(const std::string& path);

  // Runs one or more statements without results. "" on success.
  std::string Exec(std::string_view sql);
  // A prepared statement, or an invalid one with *error set.
  SqliteStatement Prepare(std::string_view sql, std::string* error);

  int64_t changes() const;  // rows changed by the last statement
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// BEGIN on construction (IMMEDIATE: the writer takes the lock up front, so
// a reader can never make it fail half-way), ROLLBACK on destruction unless
// Commit() succeeded.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDb& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  const std::string& begin_error() const { return begin_error_; }
  std::string Commit();

 private:
  SqliteDb& db_;
  std::string begin_error_;
  bool open_ = false;  // BEGIN succeeded and neither COMMIT nor ROLLBACK ran
};

}  // namespace agenthub::collector
