import ArgumentParser
import CStandardOutput
import CaseTrackCore
import Foundation

/// `-o FILE` and `--force`, on every command that prints records.
struct OutputFileOptions: ParsableArguments {
    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp("Write to this file (a new private file, 0600) instead of standard output.", valueName: "path"))
    var output: String?
    @Flag(help: "With -o: replace the file if it exists.")
    var force = false
}

/// A command whose standard output may go to a file instead (`-o`).
protocol WritesOutput {
    var outputFile: OutputFileOptions { get }
}

/// Standard output, checked: a write error (a full disk, /dev/full, a file-size limit) is an
/// error in words and a non-zero exit; a reader that went away (`casetrack log | head`) ends the
/// command quietly, as Unix tools do. With `-o`, output is written to a private file beside the
/// target and renamed onto it only when complete, so a failure leaves nothing behind.
enum StandardOutput {
    nonisolated(unsafe) private static var temporary: String?
    nonisolated(unsafe) private static var target: String?

    /// Before the command runs: signals become errors we can word, and `-o` is opened.
    static func prepare(_ options: OutputFileOptions?) throws {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        casetrack_cleanup_on_interrupt(0, nil)
        guard let path = options?.output else { return }
        guard !path.isEmpty else { throw CLIError("-o is empty: give the file to write") }
        var info = stat()
        if lstat(path, &info) == 0 {
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR { throw CLIError("cannot write \(path): it is a folder") }
            if kind != S_IFREG {
                throw CLIError("cannot write \(path): -o writes regular files only, and it is \(describe(kind))")
            }
            if options?.force != true { throw CLIError("\(path) already exists; pass --force to replace it") }
        }
        let folder = FilePath.folder(of: path)
        var template = Array(((folder.isEmpty ? "." : folder) + "/.casetrack-output-XXXXXX").utf8CString)
        let previous = umask(0o077)
        let descriptor = mkstemp(&template)
        umask(previous)
        guard descriptor >= 0 else { throw CLIError("cannot write \(path): \(reason(errno))") }
        temporary = String(cString: template.map { UInt8(bitPattern: $0) } + [0])
        target = path
        casetrack_cleanup_on_interrupt(0, temporary)
        _ = casetrack_stdout_flush()
        dup2(descriptor, STDOUT_FILENO)
        close(descriptor)
    }

    /// After the command ran: everything flushed and checked, then `-o`'s file moved into place.
    static func finish() throws {
        let code = casetrack_stdout_flush()
        if code != 0 {
            if code == EPIPE && target == nil { exit(0) }
            discard()
            throw CLIError("cannot write \(target ?? "standard output"): \(reason(code))")
        }
        guard let temporary, let target else { return }
        if fsync(STDOUT_FILENO) != 0 {
            let code = errno
            discard()
            throw CLIError("cannot write \(target): \(reason(code))")
        }
        if rename(temporary, target) != 0 {
            let code = errno
            discard()
            throw CLIError("cannot write \(target): \(reason(code))")
        }
        Self.temporary = nil
        casetrack_cleanup_on_interrupt(0, nil)
    }

    /// Removes the unfinished file of a failed command.
    static func discard() {
        if let temporary { unlink(temporary) }
        temporary = nil
    }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOSPC: return "the disk is full"
        case ENOENT: return "its folder does not exist"
        case EACCES: return "permission denied"
        case EFBIG: return "the file is larger than this process may write (ulimit -f)"
        case EPIPE: return "the reader closed the pipe"
        case 0: return "write error"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    private static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFCHR: return "a device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not a regular file"
        }
    }
}
