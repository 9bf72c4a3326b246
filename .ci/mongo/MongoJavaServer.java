// A MongoDB wire-protocol server kept in memory (de.bwaldvogel mongo-java-server), for CI and for
// machines without Docker. Usage: java -cp <classpath> MongoJavaServer.java [host] [port]
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
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
        MongoServer server = new MongoServer(new MemoryBackend().version(new Mongo8()));
        server.bind(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        System.out.println("mongo-java-server listening on " + host + ":" + port);
    }
}
