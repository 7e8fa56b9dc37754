package dev.weft.internal.core;

import dev.weft.RemoteException;
import dev.weft.SerializationException;
import dev.weft.WeftConfig;
import dev.weft.internal.proto.Msg;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;

/**
 * Serialization of user values (Fory, JVM mode, reference tracking on) and of exceptions thrown by
 * user code (JDK serialization behind a filter, with a {@link RemoteException} fallback).
 *
 * <p>Class policy. Nothing is deserialized before a connection has proven it knows the cluster
 * token (see Rpc). Then:
 *
 * <ul>
 *   <li>Deny-list mode (the default): a cluster runs its job's own code, so any class on the job's
 *       class path may be deserialized, except the known deserialization-gadget families below (and
 *       Fory's own built-in disallowed list, which it checks first).
 *   <li>Allow-list mode, on when {@code WeftConfig.serializationAllowList} or {@code
 *       -Dweft.serialization.allow=com.example.,org.acme.Order} lists anything: only the listed
 *       classes, the JDK basics ({@link #JDK_BASICS}) and Weft's own classes deserialize; others
 *       fail with a {@link SerializationException} that names the class and how to allow it. The
 *       deny list still applies. A driver passes its list to its job's worker JVMs as that same
 *       {@code -D} option ({@link #workerJvmOptions}).
 * </ul>
 *
 * An entry is an exact class name, a package prefix ending in {@code .}, or a prefix ending in
 * {@code *} ({@code com.example.*}). Array types are judged by their element type. The policy is
 * set once, at {@code Weft.init} (a class already accepted stays accepted by the Fory instances
 * that accepted it).
 */
final class Serde {
  /** The system property of the allow list: comma-separated entries. */
  static final String ALLOW_PROPERTY = "weft.serialization.allow";

  /**
   * Denied package or class-name prefixes: the gadget families of ysoserial, marshalsec and the
   * Jackson/XStream advisories, by family.
   */
  static final List<String> DENIED_PREFIXES =
      List.of(
          // Apache Commons Collections 3/4: InvokerTransformer, InstantiateTransformer,
          // ChainedTransformer, ConstantTransformer, LazyMap/TiedMapEntry chains
          "org.apache.commons.collections.functors.",
          "org.apache.commons.collections4.functors.",
          "org.apache.commons.collections.keyvalue.TiedMapEntry",
          "org.apache.commons.collections4.keyvalue.TiedMapEntry",
          // Commons BeanUtils: BeanComparator invokes arbitrary getters
          "org.apache.commons.beanutils.BeanComparator",
          "org.apache.commons.beanutils.BeanMap",
          // Groovy: MethodClosure, ConvertedClosure
          "org.codehaus.groovy.runtime.",
          "groovy.util.Expando",
          // Spring: ObjectFactory proxies, JtaTransactionManager (JNDI), AOP advisors
          "org.springframework.beans.factory.",
          "org.springframework.aop.",
          "org.springframework.core.SerializableTypeWrapper",
          "org.springframework.transaction.jta.",
          "org.springframework.jndi.",
          // Xalan TemplatesImpl: loads bytecode from its fields (Jdk7u21, CC2/CC3/CB1 chains)
          "com.sun.org.apache.xalan.internal.xsltc.",
          "org.apache.xalan.xsltc.",
          "com.sun.org.apache.bcel.internal.util.ClassLoader",
          "org.apache.bcel.util.ClassLoader",
          // JNDI, RMI and JMX lookups: JdbcRowSetImpl, BadAttributeValueExpException, RMI stubs
          "com.sun.rowset.",
          "javax.naming.",
          "com.sun.jndi.",
          "javax.management.",
          "com.sun.jmx.",
          "java.rmi.",
          "sun.rmi.",
          // JDK classes that run code or open resources when read
          "sun.reflect.annotation.AnnotationInvocationHandler",
          "java.lang.ProcessBuilder",
          "java.lang.Runtime",
          "java.lang.ProcessImpl",
          "java.beans.EventHandler",
          "java.net.URLClassLoader",
          "java.security.SignedObject",
          "javax.script.",
          // c3p0 and other JNDI-reaching connection pools
          "com.mchange.v2.c3p0.",
          "org.apache.commons.dbcp.",
          "org.apache.commons.dbcp2.",
          "org.apache.tomcat.dbcp.",
          "com.zaxxer.hikari.",
          "ch.qos.logback.core.db.",
          // ROME: ObjectBean/ToStringBean/EqualsBean invoke getters
          "com.sun.syndication.feed.impl.",
          "com.rometools.rome.feed.impl.",
          // script engines and interpreters: BeanShell, Jython, Clojure, Rhino, Nashorn, MVEL
          "bsh.",
          "org.python.core.",
          "clojure.",
          "org.mozilla.javascript.",
          "jdk.nashorn.",
          "org.openjdk.nashorn.",
          "org.mvel2.",
          // Hibernate, JSON-lib, Vaadin, MyFaces EL, Wicket/FileUpload DiskFileItem, Jython
          "org.hibernate.engine.spi.TypedValue",
          "org.hibernate.tuple.component.",
          "org.hibernate.property.",
          "net.sf.json.",
          "com.vaadin.data.util.",
          "org.apache.myfaces.",
          "org.apache.wicket.util.upload.",
          "org.apache.commons.fileupload.disk.",
          // Jackson/XStream-era gadgets
          "org.apache.xbean.naming.",
          "org.apache.ibatis.",
          "com.sun.corba.",
          "org.apache.openjpa.ee.",
          "org.jboss.util.propertyeditor.",
          "org.apache.aries.transaction.jms.",
          "org.apache.activemq.jms.pool.",
          "org.apache.commons.configuration.JNDIConfiguration",
          "org.apache.commons.configuration2.JNDIConfiguration");

  /** In allow-list mode, the JDK classes always allowed besides the list (the deny list wins). */
  static final List<String> JDK_BASICS =
      List.of(
          "java.lang.",
          "java.util.",
          "java.math.",
          "java.time.",
          "java.nio.",
          "java.net.URI",
          "dev.weft.");

  /** Null: deny-list mode. Otherwise the allow-list entries (prefixes or exact names). */
  private static volatile List<String> allowList = parse(System.getProperty(ALLOW_PROPERTY));

  /** The class the type checker last refused on this thread, for the error message. */
  private static final ThreadLocal<String> REFUSED = new ThreadLocal<>();

  /**
   * Milliseconds after this process loaded Weft's serialization before Fory generates serializer
   * code ({@code -Dweft.serialization.codegenAfterMillis}; 0: from the start; negative: never).
   *
   * <p>Fory compiles a serializer for each class it meets (Janino, on a thread of its own when
   * compilation is asynchronous, as here). The generated code (de)serialized large graphs of small
   * objects 15-35% faster than Fory's interpreted serializers on this project's machines, but its
   * compilation costs CPU in a process's first seconds, when a fresh cluster's JVMs all boot on the
   * same cores and the first tasks run: a 2 GB {@code weft sort run} on 2 cores started its first
   * map 0.5-0.7 s later and took ~1 s (5%) longer with code generated from the start (8 alternated
   * runs). Small task arguments showed no difference either way. So, as a JVM interprets before it
   * compiles, a process serializes interpreted at first and generates code once it has lived this
   * long. Each mode reads the other's bytes, so processes in either mode work together.
   */
  static final long CODEGEN_AFTER_MS =
      Long.getLong("weft.serialization.codegenAfterMillis", 30_000);

  /** When code generation starts ({@link System#nanoTime()}); {@code Long.MAX_VALUE}: never. */
  private static volatile long codegenAtNanos =
      CODEGEN_AFTER_MS < 0 || CODEGEN_AFTER_MS > Long.MAX_VALUE / 4_000_000L
          ? Long.MAX_VALUE
          : System.nanoTime() + CODEGEN_AFTER_MS * 1_000_000L;

  /** Whether {@link #fory} generates serializer code (see {@link #CODEGEN_AFTER_MS}). */
  private static volatile boolean codegen = CODEGEN_AFTER_MS == 0;

  /** Whether the switch to generated code is decided (under way or done). */
  private static final java.util.concurrent.atomic.AtomicBoolean CODEGEN_SWITCH =
      new java.util.concurrent.atomic.AtomicBoolean(CODEGEN_AFTER_MS == 0);

  /**
   * Rebuilt when the policy changes (Fory caches the classes its type checker accepted) and when
   * code generation starts.
   */
  private static volatile ThreadSafeFory fory = build();

  private Serde() {}

  private static ThreadSafeFory build() {
    return Fory.builder()
        .withXlang(false)
        .withRefTracking(true)
        .requireClassRegistration(false)
        .suppressClassRegistrationWarnings(true)
        .withAsyncCompilation(true)
        .withCodegen(codegen)
        .withClassLoader(
            Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : Serde.class.getClassLoader())
        .withTypeChecker(
            (resolver, className) -> {
              if (isAllowed(className)) {
                return true;
              }
              REFUSED.set(className);
              return false;
            })
        .buildThreadSafeForyPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 4));
  }

  /** Parses a comma-separated allow list; null or blank: null (deny-list mode). */
  static List<String> parse(String property) {
    if (property == null || property.isBlank()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String e : property.split(",")) {
      if (!e.isBlank()) {
        out.add(e.strip());
      }
    }
    return out.isEmpty() ? null : List.copyOf(out);
  }

  /**
   * Sets this process's allow list to the union of the config's and the system property's (no
   * entries in either: deny-list mode). Called by {@code Weft.init}.
   */
  static void configure(WeftConfig config) {
    setAllowList(effectiveAllowList(config));
  }

  static List<String> effectiveAllowList(WeftConfig config) {
    Set<String> all = new LinkedHashSet<>();
    List<String> prop = parse(System.getProperty(ALLOW_PROPERTY));
    if (prop != null) {
      all.addAll(prop);
    }
    all.addAll(config.serializationAllowList());
    return all.isEmpty() ? null : List.copyOf(all);
  }

  /** Sets the allow list in force (null or empty: deny-list mode). */
  static synchronized void setAllowList(List<String> entries) {
    List<String> next = entries == null || entries.isEmpty() ? null : List.copyOf(entries);
    if (!java.util.Objects.equals(next, allowList)) {
      allowList = next;
      fory = build();
    }
  }

  /**
   * The JVM options of this job's worker processes: the config's, plus the allow list as {@code
   * -Dweft.serialization.allow=…} so that workers judge classes as this driver does.
   */
  static List<String> workerJvmOptions(WeftConfig config) {
    List<String> allow = effectiveAllowList(config);
    if (allow == null) {
      return config.workerJvmOptions();
    }
    List<String> out = new ArrayList<>(config.workerJvmOptions());
    out.add("-D" + ALLOW_PROPERTY + "=" + String.join(",", allow));
    return List.copyOf(out);
  }

  /**
   * This process's Fory. Once the process has lived {@link #CODEGEN_AFTER_MS}, the first caller
   * after that starts building one that generates code, on a thread of its own (~10-20 ms); calls
   * meanwhile use the interpreting one.
   */
  private static ThreadSafeFory fory() {
    long at = codegenAtNanos;
    if (!CODEGEN_SWITCH.get()
        && at != Long.MAX_VALUE
        && System.nanoTime() - at >= 0
        && CODEGEN_SWITCH.compareAndSet(false, true)) {
      Thread.ofPlatform().daemon().name("weft-serde-codegen").start(Serde::startCodegen);
    }
    return fory;
  }

  private static synchronized void startCodegen() {
    codegen = true;
    fory = build();
  }

  /** Whether this process's serializers are generated code now (tests). */
  static boolean generatesCode() {
    return codegen;
  }

  /**
   * Serializes interpreted until {@code nanoTime} ({@link System#nanoTime()}; {@code
   * Long.MAX_VALUE}: for good), then with generated code (tests, benchmarks).
   */
  static synchronized void codegenFrom(long nanoTime) {
    codegen = false;
    codegenAtNanos = nanoTime;
    CODEGEN_SWITCH.set(false);
    fory = build();
  }

  /** Builds Fory's first instance off the critical path (it takes a few hundred ms). */
  static void warmUpAsync() {
    Thread.ofPlatform()
        .daemon()
        .name("weft-serde-warmup")
        .start(
            () -> deserialize(serialize(new Object[] {1, "x", new int[1]}, "warm-up"), "warm-up"));
  }

  static boolean isDenied(String className) {
    String name = elementName(className);
    for (String p : DENIED_PREFIXES) {
      // "pkg." denies a package; a class name denies that class and its nested classes only
      // ("java.lang.Runtime" must not deny java.lang.RuntimeException)
      if (p.endsWith(".") ? name.startsWith(p) : name.equals(p) || name.startsWith(p + "$")) {
        return true;
      }
    }
    return false;
  }

  /** Whether the current policy lets {@code className} (a class or array name) deserialize. */
  static boolean isAllowed(String className) {
    String name = elementName(className);
    if (name.isEmpty() || isDenied(name)) {
      return name.isEmpty(); // empty: an array of primitives
    }
    List<String> allow = allowList;
    if (allow == null) {
      return true;
    }
    return matchesAny(name, JDK_BASICS) || matchesAny(name, allow);
  }

  private static boolean matchesAny(String name, List<String> entries) {
    for (String e : entries) {
      if (e.endsWith("*")) {
        if (name.startsWith(e.substring(0, e.length() - 1))) {
          return true;
        }
      } else if (e.endsWith(".")
          ? name.startsWith(e)
          : name.equals(e) || name.startsWith(e + "$")) {
        return true;
      }
    }
    return false;
  }

  /** {@code [[Lcom.x.Y;} to {@code com.x.Y}; an array of primitives to the empty string. */
  static String elementName(String className) {
    int i = 0;
    while (i < className.length() && className.charAt(i) == '[') {
      i++;
    }
    if (i == 0) {
      return className;
    }
    if (className.charAt(i) == 'L' && className.endsWith(";")) {
      return className.substring(i + 1, className.length() - 1);
    }
    return i == className.length() - 1 ? "" : className.substring(i);
  }

  static byte[] serialize(Object value, String what) {
    REFUSED.remove();
    try {
      return fory().serialize(value);
    } catch (StackOverflowError e) {
      throw new SerializationException(
          "cannot serialize "
              + what
              + " of class "
              + className(value)
              + ": the object graph is too deep (stack overflow); flatten it or split it into several objects");
    } catch (RuntimeException e) {
      // Weft's policy refused a class: say which and how to allow it. Anything else (Fory's own
      // list refusing a Thread, a field it cannot write) names the value's class and what to do.
      SerializationException refused = REFUSED.get() != null ? refusal("serialize", what, e) : null;
      if (refused != null) {
        throw refused;
      }
      throw new SerializationException(
          "cannot serialize "
              + what
              + " of class "
              + className(value)
              + ": "
              + rootMessage(e)
              + " (values must be serializable by Fory: plain fields, no open resources such as threads, sockets or streams)",
          e);
    }
  }

  static Object deserialize(java.nio.ByteBuffer bytes, String what) {
    REFUSED.remove();
    try {
      return fory().deserialize(bytes);
    } catch (RuntimeException | LinkageError e) {
      throw cannotDeserialize(what, e);
    }
  }

  static Object deserialize(byte[] bytes, String what) {
    REFUSED.remove();
    try {
      return fory().deserialize(bytes);
    } catch (RuntimeException | LinkageError e) {
      throw cannotDeserialize(what, e);
    }
  }

  private static SerializationException cannotDeserialize(String what, Throwable e) {
    SerializationException refused = refusal("deserialize", what, e);
    if (refused != null) {
      return refused;
    }
    return new SerializationException(
        "cannot deserialize "
            + what
            + ": "
            + rootMessage(e)
            + " (is the class on this process's class path, and the same version as the writer's?)",
        e);
  }

  /** The error for a class the policy refused, or null if {@code e} is something else. */
  private static SerializationException refusal(String verb, String what, Throwable e) {
    String refused = REFUSED.get();
    REFUSED.remove();
    if (!isRefusal(e)) {
      return null;
    }
    if (refused == null) { // Fory's own built-in list of gadgets refused it
      return new SerializationException("cannot " + verb + " " + what + ": " + rootMessage(e), e);
    }
    String name = elementName(refused);
    if (isDenied(name)) {
      return new SerializationException(
          "cannot "
              + verb
              + " "
              + what
              + ": class "
              + name
              + " is on Weft's deny list of known deserialization gadgets and is never"
              + " deserialized (send plain data instead)",
          e);
    }
    return new SerializationException(
        "cannot "
            + verb
            + " "
            + what
            + ": class "
            + name
            + " is not on the serialization allow list "
            + allowList
            + " (allow it with WeftConfig.builder().serializationAllowList(...) or"
            + " -D"
            + ALLOW_PROPERTY
            + "="
            + name
            + " or its package prefix, e.g. "
            + packagePrefix(name)
            + ")",
        e);
  }

  private static boolean isRefusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.apache.fory.exception.InsecureException) {
        return true;
      }
    }
    return false;
  }

  private static String packagePrefix(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot + 1) : name;
  }

  private static String className(Object v) {
    return v == null ? "null" : v.getClass().getName();
  }

  /** The innermost cause of {@code e}: its class name and message. */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  // ---------------------------------------------------------------- exceptions

  static byte[] serializeError(Throwable t) {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
        oos.writeObject(t);
      }
      return bos.toByteArray();
    } catch (IOException | RuntimeException e) {
      return null; // the text form still travels
    }
  }

  /**
   * The printed stack trace of {@code t} (with its causes), as {@code printStackTrace} shows it.
   */
  static String stackTrace(Throwable t) {
    StringWriter sw = new StringWriter();
    t.printStackTrace(new PrintWriter(sw));
    return sw.toString();
  }

  /**
   * {@code t} for the wire: serialized when it can be, and its class, message and stack trace as
   * text in any case.
   */
  static Msg.RemoteThrowable describeError(Throwable t) {
    return new Msg.RemoteThrowable(
        t.getClass().getName(), t.getMessage(), stackTrace(t), serializeError(t));
  }

  /** Rebuilds the remote exception, or a RemoteException with its class, message and trace. */
  static Throwable deserializeError(Msg.RemoteThrowable remote) {
    byte[] bytes = remote.serialized();
    if (bytes != null) {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        in.setObjectInputFilter(
            info -> {
              Class<?> c = info.serialClass();
              if (c == null) {
                return ObjectInputFilter.Status.UNDECIDED;
              }
              if (!isAllowed(c.getName()) || info.depth() > 64) {
                return ObjectInputFilter.Status.REJECTED;
              }
              return ObjectInputFilter.Status.ALLOWED;
            });
        Object o = in.readObject();
        if (o instanceof Throwable t) {
          return t;
        }
      } catch (Exception | LinkageError e) {
        // fall through to the text form
      }
    }
    return new RemoteException(
        remote.className() == null ? "unknown" : remote.className(),
        String.valueOf(remote.message()),
        remote.stackTrace() == null ? "" : remote.stackTrace());
  }
}
