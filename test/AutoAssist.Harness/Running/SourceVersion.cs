using System.Diagnostics;

namespace AutoAssist.Harness.Running;

/// <summary>
/// The code a run measured. <see cref="Commit"/> is HEAD. <see cref="CodeCommit"/> is the last
/// commit that changed anything outside docs/, and <see cref="Dirty"/> looks outside docs/ only:
/// committing results (the store lives in docs/benchmarks/store) then neither changes the code's
/// identity nor makes the tree dirty, so the next invocation still finds its earlier runs.
/// </summary>
/// <param name="Commit">git rev-parse HEAD; "unknown" outside a git checkout.</param>
/// <param name="CodeCommit">The last commit that changed code (anything but docs/).</param>
/// <param name="Dirty">Uncommitted changes outside docs/ (or no git to tell): the commit does not identify the code.</param>
public sealed record SourceVersion(string Commit, string CodeCommit, bool Dirty)
{
    /// <summary>Outside a git checkout: nothing identifies the code.</summary>
    public static SourceVersion Unknown { get; } = new("unknown", "unknown", Dirty: true);

    /// <summary>The version of the checkout around the current folder.</summary>
    public static SourceVersion Detect()
    {
        string? head = Git("rev-parse", "HEAD");
        if (head is null)
            return Unknown;
        string code = Git("log", "-1", "--format=%H", "--", WholeTree, OutsideDocs) is { Length: > 0 } c ? c : head;
        string? status = Git("status", "--porcelain", "--", WholeTree, OutsideDocs);
        return new SourceVersion(head, code, Dirty: status is null || status.Length > 0);
    }

    // Pathspecs from the top of the checkout, whatever the current folder.
    private const string WholeTree = ":/";
    private const string OutsideDocs = ":(top,exclude)docs";

    private static string? Git(params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var git = Process.Start(start);
            if (git is null)
                return null;
            string output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on this machine.
            return null;
        }
    }
}
