using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Harbor.Web.Data;

/// <summary>
/// One transaction on the single writer's connection that several queued writes share, each inside its own
/// savepoint (ADR-015). Used only on the writer thread.
/// </summary>
public sealed class WriteGroup(SqliteConnection connection, SqliteTransaction transaction)
{
    private const string Savepoint = "harbor_write";

    private readonly List<Action<Exception?>> _afterCommit = [];
    private readonly long _started = Stopwatch.GetTimestamp();

    public SqliteConnection Connection { get; } = connection;

    public SqliteTransaction Transaction { get; } = transaction;

    /// <summary>The writes run in this group so far.</summary>
    public int Writes { get; private set; }

    public TimeSpan Age => Stopwatch.GetElapsedTime(_started);

    /// <summary>
    /// SQLite rolled the whole transaction back under a write (an I/O error, a full disk): the writes before it
    /// are gone too, and the group fails as a whole instead of committing.
    /// </summary>
    public bool Broken { get; private set; }

    /// <summary>Opens this write's savepoint.</summary>
    public void Begin()
    {
        Writes++;
        Transaction.Save(Savepoint);
    }

    /// <summary>Keeps what this write did, for the group's COMMIT.</summary>
    public void Keep() => Transaction.Release(Savepoint);

    /// <summary>Undoes what this write did and nothing before it.</summary>
    public void Undo()
    {
        try
        {
            Transaction.Rollback(Savepoint);
            Transaction.Release(Savepoint);
        }
        catch
        {
            // The savepoint is gone with the transaction that held it (SQLite's error, or Microsoft.Data.Sqlite's
            // "this transaction has completed").
            Broken = true;
            throw;
        }
    }

    /// <summary>
    /// After each write: whether the group's transaction is still open. SQLite leaves a transaction on its own after
    /// some errors, and a write that failed may not have said so; the group must not take another write then.
    /// </summary>
    public void CheckStillOpen()
    {
        if (raw.sqlite3_get_autocommit(Connection.Handle) != 0)
            Broken = true;
    }

    /// <summary>What to tell this write's caller once the group has committed (null) or failed (the reason).</summary>
    public void AfterCommit(Action<Exception?> answer) => _afterCommit.Add(answer);

    /// <summary>Commits (or, broken, rolls back) and answers every write of the group; returns the failure, if any.</summary>
    public Exception? Commit()
    {
        Exception? failure = Broken ? new InvalidOperationException("A write failed in a way that rolled back the writes grouped with it; nothing of them was kept.") : null;
        try
        {
            if (failure is null)
                Transaction.Commit();
            else
                Transaction.Rollback();
        }
        catch (Exception e)
        {
            failure ??= e;
        }
        finally
        {
            try
            {
                Transaction.Dispose();
            }
            catch (Exception)
            {
                // Its rollback after a failed COMMIT failed too; the gate closes this connection either way, and the
                // writer thread must not stop on it.
            }
        }

        foreach (var answer in _afterCommit)
            answer(failure);
        return failure;
    }
}
