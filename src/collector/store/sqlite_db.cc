#include "collector/store/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace agenthub::collector {

SqliteStatement::~SqliteStatement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      error_(std::move(other.error_)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    error_ = std::move(other.error_);
  }
  return *this;
}

void SqliteStatement::BindInt(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }

void SqliteStatement::BindText(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void SqliteStatement::BindBlob(int index, std::string_view value) {
  // A zero-length blob must still be a blob, not NULL: SQLite treats a null
  // data pointer as NULL, so point at a static byte.
  static const char kEmpty = 0;
  sqlite3_bind_blob64(stmt_, index, value.empty() ? &kEmpty : value.data(), value.size(),
                      SQLITE_TRANSIENT);
}

void SqliteStatement::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

bool SqliteStatement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) error_ = sqlite3_errmsg(db_);
  return false;
}

std::string SqliteStatement::Run() {
  error_.clear();
  while (Step()) {
  }
  std::string error = error_;
  Reset();
  return error;
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  error_.clear();
}

int64_t SqliteStatement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string_view SqliteStatement::ColumnText(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  if (!text) return {};
  return {text, static_cast<size_t>(sqlite3_column_bytes(stmt_, index))};
}

std::string_view SqliteStatement::ColumnBlob(int index) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, index));
  if (!data) return {};
  return {data, static_cast<size_t>(sqlite3_column_bytes(stmt_, index))};
}

bool SqliteStatement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

SqliteDb::~SqliteDb() {
  if (db_) sqlite3_close_v2(db_);
}

std::string SqliteDb::Open(const std::string& path) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string error = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
    return "cannot open " + path + ": " + error;
  }
  // A reader that meets the writer's lock waits instead of failing.
  sqlite3_busy_timeout(db_, 5000);
  return {};
}

std::string SqliteDb::Exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return {};
  std::string error = message ? message : "unknown error";
  sqlite3_free(message);
  return error;
}

SqliteStatement SqliteDb::Prepare(std::string_view sql, std::string* error) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    if (error) *error = std::string("prepare: ") + sqlite3_errmsg(db_);
    return {};
  }
  return SqliteStatement(db_, stmt);
}

int64_t SqliteDb::changes() const { return sqlite3_changes64(db_); }

SqliteTransaction::SqliteTransaction(SqliteDb& db) : db_(db) {
  begin_error_ = db_.Exec("BEGIN IMMEDIATE");
  open_ = begin_error_.empty();
}

SqliteTransaction::~SqliteTransaction() {
  if (open_) db_.Exec("ROLLBACK");
}

std::string SqliteTransaction::Commit() {
  if (!open_) return begin_error_.empty() ? "transaction already finished" : begin_error_;
  std::string error = db_.Exec("COMMIT");
  if (error.empty()) open_ = false;
  return error;
}

}  // namespace agenthub::collector
