package dev.llmtestbench.provider.graphql;

import dev.llmtestbench.provider.api.ProviderView;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Type;

/** A provider over GraphQL: the REST view's fields (never its key). */
@Type("Provider")
@Description("A registered provider; never its key, only whether one is configured.")
public class ProviderType {
  public String name;
  public String adapter;
  public String kind;
  public String source;
  public String baseUrl;
  public String apiVersion;
  public List<String> models;
  public List<String> capabilities;
  public Integer maxContextTokens;
  public boolean apiKeyConfigured;
  public String apiKeyEnv;
  public boolean simulated;

  static ProviderType of(ProviderView v) {
    ProviderType t = new ProviderType();
    t.name = v.name();
    t.adapter = v.adapter();
    t.kind = v.kind();
    t.source = v.source();
    t.baseUrl = v.baseUrl();
    t.apiVersion = v.apiVersion();
    t.models = v.models();
    t.capabilities = v.capabilities();
    t.maxContextTokens = v.maxContextTokens();
    t.apiKeyConfigured = v.apiKeyConfigured();
    t.apiKeyEnv = v.apiKeyEnv();
    t.simulated = v.simulated();
    return t;
  }
}
