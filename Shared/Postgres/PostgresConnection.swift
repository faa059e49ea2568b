import CLibPQ
import ConnectionPool
import Foundation

/// One connection to PostgreSQL through libpq's blocking API.
///
/// Every statement with values goes through `PQexecParams`: values are sent apart from the SQL text,
/// never spliced into it. Results are copied into Swift values before the libpq result is freed.
///
/// Safety of `@unchecked Sendable`: a `PGconn` must not be used by two threads at once; a connection
/// is only ever used by the one borrower that checked it out of `BlockingConnectionPool`.
public final class PostgresConnection: PoolableConnection, @unchecked Sendable {
    public let configuration: PostgresConfiguration
    private var handle: OpaquePointer?

    public init(configuration: PostgresConfiguration) throws {
        self.configuration = configuration
        let keywords = ["dbname", "connect_timeout", "application_name"]
        let values = [configuration.url, String(configuration.connectTimeoutSeconds), configuration.applicationName]
        let connection = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else { throw PostgresError.connection("could not allocate a libpq connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.message(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError.connection("cannot connect to \(configuration.redactedURL): \(message)")
        }
        self.handle = connection
        // NOTICEs (e.g. "relation already exists, skipping") would otherwise be printed on stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        // Fixed session settings make timestamp text predictable to parse.
        try execute("SET TIME ZONE 'UTC'; SET DateStyle TO ISO; SET statement_timeout = \(configuration.statementTimeoutMilliseconds)")
    }

    deinit { close() }

    /// Reusable when the socket is healthy and no transaction was left open.
    public var isReusable: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Runs one statement with parameters `$1…$n` and returns its rows.
    ///
    /// - Throws: `PostgresError.server` with the SQLSTATE when the server rejects it,
    ///   `.connection` when the connection is gone.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> PostgresRows {
        let handle = try liveHandle()
        let texts = parameters.map { $0?.postgresText }
        let result = withOptionalCStrings(texts) { pointers in
            PQexecParams(handle, sql, Int32(texts.count), nil, pointers, nil, nil, 0)
        }
        return try rows(from: result, handle: handle)
    }

    /// Runs SQL text without parameters, which may hold several statements (migrations, `SET`).
    ///
    /// Never pass values through here: use `query(_:_:)`, which keeps them out of the SQL text.
    public func execute(_ sql: String) throws {
        let handle = try liveHandle()
        _ = try rows(from: PQexec(handle, sql), handle: handle)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        try execute("BEGIN")
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            // The original error matters more than a failed rollback; a broken connection is not reused.
            try? execute("ROLLBACK")
            throw error
        }
    }

    // MARK: - Results

    private func liveHandle() throws -> OpaquePointer {
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError.connection("the connection to \(configuration.redactedURL) is closed")
        }
        return handle
    }

    private func rows(from result: OpaquePointer?, handle: OpaquePointer) throws -> PostgresRows {
        guard let result else {
            throw PostgresError.connection(Self.message(PQerrorMessage(handle)))
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            break
        default:
            if PQstatus(handle) != CONNECTION_OK {
                throw PostgresError.connection(Self.message(PQerrorMessage(handle)))
            }
            throw PostgresError.server(
                Self.message(PQresultErrorMessage(result)),
                sqlState: Self.field(result, Self.diagnosticSQLState),
                detail: Self.field(result, Self.diagnosticDetail)
            )
        }
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns: [PostgresRows.Column] = []
        var columnIndex: [String: Int] = [:]
        for column in 0..<columnCount {
            let name = String(cString: PQfname(result, Int32(column)))
            columns.append(.init(name: name, typeOID: PQftype(result, Int32(column))))
            if columnIndex[name] == nil { columnIndex[name] = column }
        }
        var rows: [PostgresRow] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(result, Int32(row), Int32(column)))
                    let pointer = PQgetvalue(result, Int32(row), Int32(column))!
                    values.append(String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self))
                }
            }
            rows.append(PostgresRow(columnIndex: columnIndex, columns: columns, values: values))
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, rows: rows, affectedRows: affected)
    }

    // libpq's PG_DIAG_* codes are character macros, which Swift cannot import.
    private static let diagnosticSQLState = Int32(UInt8(ascii: "C"))
    private static let diagnosticDetail = Int32(UInt8(ascii: "D"))

    private static func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        guard let pointer = PQresultErrorField(result, code) else { return nil }
        return String(cString: pointer)
    }

    /// libpq messages end with a newline and may span lines; keep the first line's gist intact.
    private static func message(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "unknown error" }
        return String(cString: pointer).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Lays out C strings (NULL for nil) for the duration of `body`.
private func withOptionalCStrings<Result>(
    _ strings: [String?],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> Result
) -> Result {
    let duplicates: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } }
    defer { duplicates.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = duplicates.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}

private func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result) -> Result {
    // libpq stops at the first NULL keyword.
    withOptionalCStrings(strings + [nil]) { body($0!) }
}
