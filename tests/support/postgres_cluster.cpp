#include "postgres_cluster.hpp"

#include "muster/db/postgresql.hpp"
#include "muster/store/schema.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace muster::test {
namespace {

namespace fs = std::filesystem;

const fs::path bin_dir = "/usr/lib/postgresql/15/bin";

// Who runs PostgreSQL's programs: ourselves, or (as root, which PostgreSQL refuses) the
// postgres system user that Debian's postgresql-15 creates, else nobody.
struct RunAs {
    bool switch_user = false;
    uid_t uid = 0;
    gid_t gid = 0;
};

RunAs cluster_user() {
    RunAs who;
    if (geteuid() != 0) return who;
    for (const char* name : {"postgres", "nobody"}) {
        if (const passwd* pw = getpwnam(name)) {
            who.switch_user = true;
            who.uid = pw->pw_uid;
            who.gid = pw->pw_gid;
            return who;
        }
    }
    throw std::runtime_error("running as root and neither a postgres nor a nobody user exists");
}

void give_to(const fs::path& path, const RunAs& who) {
    if (who.switch_user && chown(path.c_str(), who.uid, who.gid) != 0)
        throw std::runtime_error("chown " + path.string() + ": " + std::strerror(errno));
}

std::string tail_of(const fs::path& file, std::size_t max_chars = 3000) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    return s.size() > max_chars ? s.substr(s.size() - max_chars) : s;
}

// Runs a PostgreSQL program with stdout and stderr appended to `log` (never the caller's:
// a server started by pg_ctl would otherwise hold ctest's output pipe open), as `who`, in
// `cwd` (the cluster's directory: postgres cannot enter root's home). Returns its exit status.
int run_program(const std::vector<std::string>& args, const fs::path& log, const fs::path& cwd, const RunAs& who) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) throw std::runtime_error("cannot open " + log.string());
    give_to(log, who);
    pid_t pid = fork();
    if (pid < 0) {
        ::close(log_fd);
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        // Only async-signal-safe calls between fork and exec.
        int null_fd = ::open("/dev/null", O_RDONLY);
        if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(log_fd, 1) < 0 || dup2(log_fd, 2) < 0) _exit(126);
        if (chdir(cwd.c_str()) != 0) _exit(126);
        if (who.switch_user) {
            if (setgroups(0, nullptr) != 0 || setgid(who.gid) != 0 || setuid(who.uid) != 0) _exit(126);
        }
        execv(argv[0], argv.data());
        _exit(127);
    }
    ::close(log_fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw std::runtime_error("waitpid failed");
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

// A port nobody listens on now. Another process may take it before the server binds it:
// the caller retries with another then.
int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot find a free port");
    }
    int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

void append_settings(const fs::path& conf, const std::vector<std::pair<std::string, std::string>>& settings) {
    std::ofstream out(conf, std::ios::app);
    for (const auto& [name, value] : settings) out << name << " = '" << value << "'\n";
    if (!out) throw std::runtime_error("cannot write " + conf.string());
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

std::string postgres_url_with_database(const std::string& url, std::string_view database) {
    auto scheme = url.find("://");
    auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return url.substr(0, slash) + "/" + std::string(database);
}

PgConnection pg_connect(const std::string& url) {
    PgConnection conn(PQconnectdb(url.c_str()));
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK)
        throw std::runtime_error("cannot connect to " + url + ": " +
                                 (conn ? first_line(PQerrorMessage(conn.get())) : std::string("out of memory")));
    // The server's notices ("database ... does not exist, skipping") are not test output.
    PQsetNoticeProcessor(conn.get(), [](void*, const char*) {}, nullptr);
    return conn;
}

PgResult pg_exec(PGconn* conn, const std::string& sql) {
    PgResult result(PQexec(conn, sql.c_str()));
    auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw std::runtime_error("PostgreSQL: " + std::string(PQerrorMessage(conn)));
    return result;
}

PostgresCluster::PostgresCluster() : PostgresCluster(Options{}) {}

PostgresCluster::PostgresCluster(Options options) : owner_pid_(static_cast<int>(getpid())) {
    RunAs who = cluster_user();
    std::string pattern = (fs::temp_directory_path() / "muster-pg-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    try {
        fs::create_directories(dir_ / "socket");
        for (const auto& p : {dir_, dir_ / "socket"}) give_to(p, who);
        const fs::path data = dir_ / "data";
        const fs::path setup_log = dir_ / "setup.log";
        // --no-sync: a test cluster need not survive a power cut; initdb is 5 s faster.
        int rc = run_program({(bin_dir / "initdb").string(), "-D", data.string(), "-U", "muster", "--auth=trust",
                              "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"},
                             setup_log, dir_, who);
        if (rc != 0) throw std::runtime_error("initdb failed (" + std::to_string(rc) + "):\n" + tail_of(setup_log));

        std::vector<std::pair<std::string, std::string>> settings{
            {"listen_addresses", "127.0.0.1"},
            {"unix_socket_directories", (dir_ / "socket").string()},
            {"max_connections", "200"},
        };
        if (!options.durable) {
            settings.insert(settings.end(), {{"fsync", "off"}, {"synchronous_commit", "off"}, {"full_page_writes", "off"}});
        }
        settings.insert(settings.end(), options.settings.begin(), options.settings.end());
        append_settings(data / "postgresql.conf", settings);

        const fs::path server_log = dir_ / "postgres.log";
        for (int attempt = 1;; ++attempt) {
            port_ = free_port();
            append_settings(data / "postgresql.conf", {{"port", std::to_string(port_)}});  // the last one wins
            // -w: pg_ctl returns once the server accepts connections (or has failed).
            rc = run_program({(bin_dir / "pg_ctl").string(), "-D", data.string(), "-l", server_log.string(), "-w",
                              "-t", "120", "start"},
                             setup_log, dir_, who);
            if (rc == 0) break;
            std::string log = tail_of(server_log);
            bool port_taken = log.find("could not bind") != std::string::npos ||
                              log.find("could not create any TCP/IP sockets") != std::string::npos;
            if (!port_taken || attempt == 5)
                throw std::runtime_error("PostgreSQL did not start (pg_ctl " + std::to_string(rc) + "):\n" + log +
                                         tail_of(setup_log));
        }
        pg_connect(url());  // the server takes connections on the URL tests are given
    } catch (...) {
        stop();
        throw;
    }
}

std::string PostgresCluster::url(std::string_view database) const {
    return "postgresql://muster@127.0.0.1:" + std::to_string(port_) + "/" + std::string(database);
}

void PostgresCluster::stop() {
    if (dir_.empty()) return;
    stop_postgres_cluster(dir_);
    dir_.clear();
}

PostgresCluster::~PostgresCluster() {
    if (detached_ || owner_pid_ != static_cast<int>(getpid())) return;
    try {
        stop();
    } catch (const std::exception& e) {
        std::cerr << "stopping the test PostgreSQL: " << e.what() << "\n";
    }
}

void stop_postgres_cluster(const fs::path& directory) {
    std::error_code ec;
    if (fs::exists(directory / "data" / "postmaster.pid", ec)) {
        RunAs who = cluster_user();
        int rc = run_program({(bin_dir / "pg_ctl").string(), "-D", (directory / "data").string(), "-m", "fast", "-w",
                              "-t", "60", "stop"},
                             directory / "setup.log", directory, who);
        if (rc != 0)
            throw std::runtime_error("pg_ctl stop failed for " + directory.string() + ":\n" +
                                     tail_of(directory / "setup.log"));
    }
    fs::remove_all(directory, ec);
}

std::string shared_postgres_url() {
    static std::mutex mutex;
    static std::unique_ptr<PostgresCluster> private_cluster;  // stopped by its destructor at exit
    static std::string url;
    std::lock_guard lock(mutex);
    if (!url.empty()) return url;
    if (const char* file = std::getenv("MUSTER_TEST_POSTGRES"); file && *file) {
        std::ifstream in(file);
        std::getline(in, url);
        if (url.empty())
            throw std::runtime_error(std::string("MUSTER_TEST_POSTGRES names ") + file +
                                     ", which holds no URL: did the postgres_cluster_start fixture run?");
        return url;
    }
    private_cluster = std::make_unique<PostgresCluster>();
    url = private_cluster->url();
    return url;
}

PostgresDatabase::PostgresDatabase(std::string server_url, std::string name)
    : server_url_(std::move(server_url)),
      name_(std::move(name)),
      url_(postgres_url_with_database(server_url_, name_)),
      owner_pid_(static_cast<int>(getpid())) {}

PostgresDatabase::PostgresDatabase(PostgresDatabase&& other) noexcept
    : server_url_(std::move(other.server_url_)),
      name_(std::move(other.name_)),
      url_(std::move(other.url_)),
      owner_pid_(other.owner_pid_) {
    other.name_.clear();
}

PostgresDatabase::~PostgresDatabase() {
    if (name_.empty() || owner_pid_ != static_cast<int>(getpid())) return;
    try {
        auto conn = pg_connect(server_url_);
        pg_exec(conn.get(), "DROP DATABASE IF EXISTS \"" + name_ + "\" WITH (FORCE)");
    } catch (const std::exception& e) {
        std::cerr << "dropping test database " << name_ << ": " << e.what() << "\n";
    }
}

namespace {

// CREATE DATABASE <name> on `conn`'s server, copied from `from`. The name is made of numbers
// only: nothing from a test goes into the SQL.
void create_database(PGconn* conn, const std::string& name, const std::string& from) {
    // A database of that name is left over from a killed run whose pid this one reuses.
    pg_exec(conn, "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    pg_exec(conn, "CREATE DATABASE \"" + name + "\" TEMPLATE " + from + " ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
}

std::string next_test_database_name() {
    static std::atomic<int> counter{0};
    return "muster_t_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
}

}  // namespace

PostgresDatabase fresh_postgres_database() {
    db::enable_postgresql();  // whoever asks for a database will open it through db::Database
    std::string server = shared_postgres_url();
    std::string name = next_test_database_name();
    auto conn = pg_connect(server);
    create_database(conn.get(), name, "template0");
    return PostgresDatabase(server, name);
}

PostgresDatabase fresh_postgres_hub_database() {
    db::enable_postgresql();
    std::string server = shared_postgres_url();
    // One migrated template per cluster and schema version, made by whichever test process
    // comes first; the session lock also keeps others off the template while it is copied
    // (CREATE DATABASE refuses a template someone is connected to).
    const std::string tmpl = "muster_hub_template_" + std::to_string(store::latest_postgresql_schema_version());
    auto conn = pg_connect(server);
    pg_exec(conn.get(), "SELECT pg_advisory_lock(1297437524, 2)");
    try {
        auto found = pg_exec(conn.get(), "SELECT 1 FROM pg_database WHERE datname = '" + tmpl + "'");
        if (PQntuples(found.get()) == 0) {
            create_database(conn.get(), tmpl, "template0");
            store::open_database(postgres_url_with_database(server, tmpl));  // migrated, then closed
        }
        std::string name = next_test_database_name();
        create_database(conn.get(), name, tmpl);
        pg_exec(conn.get(), "SELECT pg_advisory_unlock(1297437524, 2)");
        return PostgresDatabase(server, name);
    } catch (...) {
        pg_exec(conn.get(), "SELECT pg_advisory_unlock(1297437524, 2)");
        throw;
    }
}

}  // namespace muster::test
