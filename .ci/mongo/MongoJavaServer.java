// A MongoDB wire-protocol server (de.bwaldvogel mongo-java-server), for CI and for machines without
// Docker. Usage: java -cp <classpath> MongoJavaServer.java [host] [port] [data file]
// Without a data file it keeps everything in memory (.ci/start-mongo); with one, in that file
// (H2's MVStore), so a restart keeps the data, as mongod's --dbpath does (.ci/mongo/mongod).
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.List;

public class MongoJavaServer {
    // The stock MONGO_5_0 setting reports wire version 8; the mongodb@7 driver refuses anything
    // below 9, so this server says it is MongoDB 8.0 (wire version 21).
    static final class Mongo8 implements MongoVersion {
        public List<Integer> getVersionArray() { return List.of(8, 0, 0); }
        public int getWireVersion() { return 21; }
    }

    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 27017;
        MongoBackend backend = args.length > 2 ? new H2Backend(args[2]) : new MemoryBackend();
        MongoServer server = new MongoServer(backend.version(new Mongo8()));
        server.bind(host, port);
        // mongod ends with exit code 0 on SIGINT and SIGTERM, and mongodb-memory-server counts any
        // other code as a crash; shutdownNow() also closes the backend, which writes its file.
        for (String name : List.of("INT", "TERM")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                server.shutdownNow();
                Runtime.getRuntime().halt(0);
            });
        }
        // "waiting for connections" is the line mongodb-memory-server waits for, as mongod prints it.
        System.out.println("mongo-java-server listening on " + host + ":" + port + ", waiting for connections");
    }
}
