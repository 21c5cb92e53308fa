package dev.llmtestbench.provider.service;

import dev.llmtestbench.platform.database.Jdbc;
import dev.llmtestbench.platform.json.Json;
import dev.llmtestbench.platform.rest.ApiException;
import dev.llmtestbench.platform.security.SecretBox;
import dev.llmtestbench.provider.spi.Provider;
import dev.llmtestbench.provider.spi.ProviderConfig;
import dev.llmtestbench.provider.spi.ProviderFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Every provider this server can call: the built-in simulator, providers from configuration and the
 * environment, and providers registered over the API. Each has a row in {@code providers} so
 * results can refer to it.
 */
@ApplicationScoped
public class ProviderRegistry {

  private static final Logger LOG = Logger.getLogger(ProviderRegistry.class.getName());
  static final String PREFIX = "ltb.providers.";
  private static final java.util.regex.Pattern API_KEY_NAME =
      java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]*_(API_KEY|KEY|TOKEN)");

  @Inject Jdbc jdbc;
  @Inject SecretBox secrets;
  @Inject @Any Instance<ProviderFactory> factories;

  private static final java.util.Set<String> KNOWN_KEYS =
      java.util.Set.of("adapter", "kind", "base-url", "api-key-env", "models", "timeout-ms");

  private final Map<String, RegisteredProvider> providers = new ConcurrentHashMap<>();
  private volatile boolean loaded;

  public Optional<RegisteredProvider> find(String name) {
    ensureLoaded();
    if (name == null) {
      return Optional.empty();
    }
    RegisteredProvider known = providers.get(name);
    // Another server may have registered it over the API since this one loaded (several servers
    // share one database): look it up there before calling it unknown.
    return known != null ? Optional.of(known) : loadStored(name);
  }

  private synchronized Optional<RegisteredProvider> loadStored(String name) {
    RegisteredProvider known = providers.get(name);
    if (known != null) {
      return Optional.of(known);
    }
    for (StoredDefinition stored : fromDatabase(name)) {
      try {
        RegisteredProvider p = stored(stored);
        providers.put(name, p);
        LOG.info("Provider '" + name + "' registered on another server is now available here.");
        return Optional.of(p);
      } catch (ApiException | IllegalArgumentException | IllegalStateException e) {
        LOG.warning("Stored provider '" + name + "' skipped: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  private RegisteredProvider stored(StoredDefinition stored) {
    ProviderDefinition def = stored.definition();
    String key = stored.secret() == null ? null : secrets.decrypt(stored.secret());
    return persist(build(def, "api", key), def, stored.secret());
  }

  /** The provider by name, or a 400 that lists the known ones. */
  public RegisteredProvider require(String name) {
    return find(name)
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    "Unknown provider '" + name + "'. Known providers: " + names() + "."));
  }

  public List<RegisteredProvider> all() {
    ensureLoaded();
    return providers.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
  }

  public List<String> names() {
    return all().stream().map(RegisteredProvider::name).toList();
  }

  /** Registers (or replaces) a provider defined over the API; its definition holds no secret. */
  public synchronized RegisteredProvider register(ProviderDefinition def, String apiKey) {
    ensureLoaded();
    if ("default".equals(def.name())) {
      throw ApiException.badRequest(
          "'default' is reserved (ltb.providers.default.* holds every provider's defaults).");
    }
    if ("local".equals(def.name())) {
      throw ApiException.badRequest(
          "'local' is reserved: it names the in-process embedding model. Choose another name.");
    }
    if (!factory(def.adapter() == null ? "" : def.adapter()).needsBaseUrl()
        && !"simulator".equals(def.adapter())) {
      // An in-process adapter reads files on the server: only its operators may define one.
      throw ApiException.badRequest(
          "Adapter '"
              + def.adapter()
              + "' runs in the server's process and is defined in the"
              + " server's configuration only (ltb.providers.<name>.adapter).");
    }
    boolean canStore;
    try {
      canStore = secrets.available();
    } catch (IllegalStateException e) {
      throw new ApiException(503, "misconfigured", "Server misconfigured", e.getMessage());
    }
    if (apiKey != null && !canStore) {
      throw ApiException.badRequest(
          "This server cannot store API keys: "
              + "set ltb.secrets.key (32 random bytes, base64), or pass apiKeyEnv instead.");
    }
    if (apiKey != null && def.apiKeyEnv() != null) {
      throw ApiException.badRequest("Give apiKey or apiKeyEnv, not both.");
    }
    if (def.apiKeyEnv() != null && !API_KEY_NAME.matcher(def.apiKeyEnv()).matches()) {
      // Only names that look like API keys: a definition must not be able to send, say, the
      // database password to an endpoint of its choosing.
      throw ApiException.badRequest(
          "apiKeyEnv '"
              + def.apiKeyEnv()
              + "' is not allowed: name an environment variable ending in _API_KEY, _KEY or"
              + " _TOKEN (e.g. MY_LLM_API_KEY).");
    }
    RegisteredProvider existing = providers.get(def.name());
    if (existing != null && !"api".equals(existing.source())) {
      throw ApiException.conflict(
          "Provider '"
              + def.name()
              + "' is defined by "
              + existing.source()
              + " and cannot be replaced over the API; choose another name.");
    }
    RegisteredProvider p = build(def, "api", apiKey);
    RegisteredProvider old =
        providers.put(def.name(), persist(p, def, apiKey == null ? null : secrets.encrypt(apiKey)));
    if (old != null) {
      old.provider().close();
    }
    return providers.get(def.name());
  }

  /** Removes an API-defined provider; its past results stay. */
  public synchronized boolean deactivate(String name) {
    ensureLoaded();
    RegisteredProvider p = providers.get(name);
    if (p == null) {
      return false;
    }
    if ("builtin".equals(p.source())) {
      throw ApiException.conflict("Provider '" + name + "' is built in and cannot be removed.");
    }
    if (!"api".equals(p.source())) {
      throw ApiException.conflict(
          "Provider '" + name + "' is defined in the server's configuration; remove it there.");
    }
    jdbc.update("UPDATE providers SET is_active = FALSE, secret = NULL WHERE name = ?", name);
    providers.remove(name).provider().close();
    return true;
  }

  @jakarta.annotation.PreDestroy
  void closeAll() {
    providers.values().forEach(p -> p.provider().close());
  }

  private void ensureLoaded() {
    if (!loaded) {
      synchronized (this) {
        if (!loaded) {
          load();
          loaded = true;
        }
      }
    }
  }

  private void load() {
    List<ProviderDefinition> defs = new ArrayList<>();
    defs.add(
        new ProviderDefinition(
            "simulator",
            "simulator",
            "simulator",
            null,
            null,
            List.of("sim-1"),
            null,
            Map.of(),
            Map.of()));
    // Recorded outputs: targets name the models whose outputs the dataset carries.
    defs.add(
        new ProviderDefinition(
            "recorded", "recorded", "recorded", null, null, List.of(), null, Map.of(), Map.of()));
    Config config = ConfigProvider.getConfig();
    defs.addAll(fromConfig(config));
    defs.addAll(fromEnvironment(config, defs));
    for (ProviderDefinition def : defs) {
      String source =
          def.name().equals("simulator") || def.name().equals("recorded") ? "builtin" : "config";
      try {
        RegisteredProvider p = build(def, source, null);
        providers.put(def.name(), persist(p, def, null));
      } catch (ApiException | IllegalArgumentException e) {
        LOG.warning("Provider '" + def.name() + "' from configuration skipped: " + e.getMessage());
      }
    }
    for (StoredDefinition stored : fromDatabase(null)) {
      ProviderDefinition def = stored.definition();
      if (providers.containsKey(def.name())) {
        continue;
      }
      try {
        providers.put(def.name(), stored(stored));
      } catch (ApiException | IllegalArgumentException | IllegalStateException e) {
        LOG.warning("Stored provider '" + def.name() + "' skipped: " + e.getMessage());
      }
    }
    LOG.info("Providers available: " + providers.keySet());
  }

  /**
   * Reads {@code ltb.providers.<name>.adapter} and its sibling keys from MicroProfile Config;
   * sibling keys other than the known ones become the adapter's settings.
   */
  static List<ProviderDefinition> fromConfig(Config config) {
    List<ProviderDefinition> defs = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    config.getPropertyNames().forEach(keys::add);
    for (String key : keys) {
      if (!key.startsWith(PREFIX) || !key.endsWith(".adapter")) {
        continue;
      }
      String name = key.substring(PREFIX.length(), key.length() - ".adapter".length());
      if (name.isEmpty() || name.contains(".")) {
        LOG.warning(
            "Ignoring provider key '"
                + key
                + "': provider names from configuration are one word (letters, digits, '-').");
        continue;
      }
      String p = PREFIX + name + ".";
      Map<String, String> settings = settings(config, keys, p);
      defs.add(
          new ProviderDefinition(
              name,
              config.getValue(key, String.class),
              config.getOptionalValue(p + "kind", String.class).orElse(null),
              config.getOptionalValue(p + "base-url", String.class).orElse(null),
              config.getOptionalValue(p + "api-key-env", String.class).orElse(null),
              list(config.getOptionalValue(p + "models", String.class).orElse("")),
              config.getOptionalValue(p + "timeout-ms", Long.class).orElse(null),
              Map.of(),
              settings));
    }
    return defs;
  }

  /**
   * The adapter settings under {@code prefix}: every key except the registry's own, the key itself
   * and the guard's resilience keys.
   */
  private static Map<String, String> settings(Config config, List<String> keys, String prefix) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String k : keys) {
      String setting = k.startsWith(prefix) ? k.substring(prefix.length()) : null;
      if (setting != null
          && !KNOWN_KEYS.contains(setting)
          && !setting.contains("api-key")
          && !setting.startsWith("retry.")
          && !setting.startsWith("circuit-breaker.")
          && !setting.startsWith("concurrency.")) {
        config.getOptionalValue(k, String.class).ifPresent(v -> settings.put(setting, v));
      }
    }
    return settings;
  }

  /**
   * Providers announced by their conventional environment: {@code OPENAI_API_KEY}, {@code
   * ANTHROPIC_API_KEY}, ..., {@code OLLAMA_BASE_URL}; each is named after its adapter unless
   * configuration already defines that name. Its endpoint and models may be set with {@code
   * ltb.providers.<adapter>.base-url} and {@code .models} (e.g. {@code LTB_PROVIDERS_OPENAI_MODELS}
   * in the environment).
   */
  private List<ProviderDefinition> fromEnvironment(
      Config config, List<ProviderDefinition> defined) {
    List<ProviderDefinition> defs = new ArrayList<>();
    for (ProviderFactory f : factories) {
      String name = f.adapter();
      if (defined.stream().anyMatch(d -> d.name().equals(name))) {
        continue;
      }
      String p = PREFIX + name + ".";
      Optional<String> key =
          f.apiKeyEnv() == null ? Optional.empty() : nonBlank(config, f.apiKeyEnv());
      Optional<String> base =
          f.baseUrlEnv() == null ? Optional.empty() : nonBlank(config, f.baseUrlEnv());
      if (key.isEmpty() && base.isEmpty()) {
        continue;
      }
      List<String> keys = new ArrayList<>();
      config.getPropertyNames().forEach(keys::add);
      defs.add(
          new ProviderDefinition(
              name,
              f.adapter(),
              nonBlank(config, p + "kind").orElse(null),
              base.orElseGet(() -> nonBlank(config, p + "base-url").orElse(null)),
              key.isPresent() ? f.apiKeyEnv() : null,
              list(nonBlank(config, p + "models").orElse(String.join(",", f.defaultModels()))),
              config.getOptionalValue(p + "timeout-ms", Long.class).orElse(null),
              Map.of(),
              settings(config, keys, p)));
    }
    return defs;
  }

  private static Optional<String> nonBlank(Config config, String key) {
    return config.getOptionalValue(key, String.class).filter(v -> !v.isBlank());
  }

  private static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private ProviderFactory factory(String adapter) {
    for (ProviderFactory f : factories) {
      if (f.adapter().equals(adapter)) {
        return f;
      }
    }
    List<String> known = new ArrayList<>();
    factories.forEach(f -> known.add(f.adapter()));
    java.util.Collections.sort(known);
    throw ApiException.badRequest(
        "Unknown adapter '" + adapter + "'. Supported adapters: " + known + ".");
  }

  private RegisteredProvider build(ProviderDefinition def, String source, String storedKey) {
    ProviderFactory factory = factory(def.adapter() == null ? "" : def.adapter());
    String apiKey = storedKey;
    if (apiKey != null) {
      // A key stored encrypted with the definition.
    } else if (def.apiKeyEnv() != null && !def.apiKeyEnv().isBlank()) {
      // Keys are read from the environment or configuration by name, never stored.
      apiKey =
          ConfigProvider.getConfig().getOptionalValue(def.apiKeyEnv(), String.class).orElse(null);
      if (apiKey == null) {
        apiKey = System.getenv(def.apiKeyEnv());
      }
    } else if (!"api".equals(source)) {
      apiKey =
          ConfigProvider.getConfig()
              .getOptionalValue(PREFIX + def.name() + ".api-key", String.class)
              .orElse(null);
    }
    URI base = baseUrl(def, factory);
    String kind;
    if ("simulator".equals(factory.kind()) || "recorded".equals(factory.kind())) {
      kind = factory.kind();
    } else {
      kind =
          def.kind() != null
              ? def.kind()
              : base != null && isLoopback(base) ? "local" : factory.kind();
      if (!List.of("cloud", "local", "custom").contains(kind)) {
        throw ApiException.badRequest(
            "kind must be one of cloud, local, custom; was '" + kind + "'.");
      }
    }
    ProviderConfig config =
        new ProviderConfig(
            def.name(),
            factory.adapter(),
            base,
            apiKey,
            def.models().isEmpty() ? factory.defaultModels() : def.models(),
            Duration.ofMillis(def.timeoutMs() == null ? 120_000 : def.timeoutMs()),
            def.headers(),
            def.settings());
    Provider provider;
    try {
      provider = factory.create(config);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Provider '" + def.name() + "': " + e.getMessage());
    }
    return new RegisteredProvider(
        null,
        provider,
        config,
        kind,
        source,
        storedKey != null ? "(stored encrypted)" : def.apiKeyEnv());
  }

  private static URI baseUrl(ProviderDefinition def, ProviderFactory factory) {
    if (def.baseUrl() == null || def.baseUrl().isBlank()) {
      if (factory.defaultBaseUrl() == null && factory.needsBaseUrl()) {
        throw ApiException.badRequest("Provider '" + def.name() + "' needs a baseUrl.");
      }
      return factory.defaultBaseUrl();
    }
    try {
      URI uri = URI.create(def.baseUrl().strip());
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "baseUrl '"
              + def.baseUrl()
              + "' of provider '"
              + def.name()
              + "' is not an http(s) URL.");
    }
  }

  private static boolean isLoopback(URI uri) {
    String host = uri.getHost();
    return host != null
        && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
  }

  /** Upserts the provider's row (definition without secrets) and returns it with its id. */
  private RegisteredProvider persist(RegisteredProvider p, ProviderDefinition def, String secret) {
    Map<String, Object> config = new LinkedHashMap<>();
    if (def.baseUrl() != null) {
      config.put("baseUrl", def.baseUrl());
    }
    if (def.apiKeyEnv() != null) {
      config.put("apiKeyEnv", def.apiKeyEnv());
    }
    config.put("models", def.models());
    if (def.timeoutMs() != null) {
      config.put("timeoutMs", def.timeoutMs());
    }
    if (!def.settings().isEmpty()) {
      config.put("settings", def.settings());
    }
    UUID id =
        jdbc.one(
                "INSERT INTO providers (name, type, adapter, source, config, secret, is_active)"
                    + " VALUES (?, ?, ?, ?, ?::jsonb, ?, TRUE) ON CONFLICT (name) DO UPDATE SET"
                    + " type = EXCLUDED.type, adapter = EXCLUDED.adapter, source = EXCLUDED.source,"
                    + " config = EXCLUDED.config, secret = EXCLUDED.secret, is_active = TRUE"
                    + " RETURNING id",
                rs -> rs.getObject(1, UUID.class),
                p.name(),
                p.kind(),
                p.adapter(),
                p.source(),
                Json.write(config),
                secret)
            .orElseThrow();
    return new RegisteredProvider(
        id, p.provider(), p.config(), p.kind(), p.source(), p.apiKeyEnv());
  }

  /** A definition read back from the database, with its encrypted key if it has one. */
  private record StoredDefinition(ProviderDefinition definition, String secret) {}

  /** The active API-defined providers, or only the one named when name is not null. */
  private List<StoredDefinition> fromDatabase(String name) {
    return jdbc.list(
        "SELECT name, type, adapter, config, secret FROM providers WHERE source = 'api' AND"
            + " is_active AND (CAST(? AS text) IS NULL OR name = ?)",
        rs -> {
          ProviderDefinition stored = Json.read(rs.getString("config"), ProviderDefinition.class);
          return new StoredDefinition(
              new ProviderDefinition(
                  rs.getString("name"),
                  rs.getString("adapter"),
                  rs.getString("type"),
                  stored.baseUrl(),
                  stored.apiKeyEnv(),
                  stored.models(),
                  stored.timeoutMs(),
                  Map.of(),
                  stored.settings()),
              rs.getString("secret"));
        },
        name,
        name);
  }
}
