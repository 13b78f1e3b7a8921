package io.ferry.controlplane.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, allow-listed reads from one JSON object of a request body. Any field not in the allow-list
 * is refused by name, so no option can be smuggled in; every error names the field by its dotted path
 * and never quotes the value. {@code null} counts as absent.
 */
public final class Body {
  private final JsonObject json;
  private final String path;

  private Body(JsonObject json, String path, Set<String> allowed) {
    this.json = json;
    this.path = path;
    for (String name : json.fieldNames()) {
      if (!allowed.contains(name)) {
        throw ApiException.unknownField(path(name));
      }
    }
  }

  /** The request's body as an object holding only {@code allowed} fields. */
  public static Body of(RoutingContext ctx, Set<String> allowed) {
    Buffer buffer = ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      throw new ApiException(400, "MALFORMED_JSON", "the request needs a JSON object body");
    }
    Object parsed;
    try {
      parsed = Buffer.buffer(buffer.getBytes()).toJsonValue();
    } catch (DecodeException | IllegalStateException e) {
      throw new ApiException(400, "MALFORMED_JSON", "the body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject object)) {
      throw new ApiException(400, "MALFORMED_JSON", "the body must be a JSON object");
    }
    return new Body(object, "", allowed);
  }

  /** An empty body or {@code {}}: for actions that take no parameters (a body with fields is refused). */
  public static void none(RoutingContext ctx) {
    Buffer buffer = ctx.body().buffer();
    if (buffer != null && buffer.toString().isBlank()) {
      return;
    }
    if (buffer != null) {
      of(ctx, Set.of());
    }
  }

  public static Body wrap(JsonObject json, String path, Set<String> allowed) {
    return new Body(json, path, allowed);
  }

  public String path(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public boolean has(String name) {
    return json.getValue(name) != null;
  }

  public Object raw(String name) {
    return json.getValue(name);
  }

  public String string(String name, int maxLength) {
    String s = optString(name, maxLength);
    if (s == null) {
      throw ApiException.missing(path(name));
    }
    return s;
  }

  public String optString(String name, int maxLength) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw ApiException.invalid(path(name), "must be a string, was " + type(v));
    }
    if (s.isBlank()) {
      throw ApiException.invalid(path(name), "must not be blank");
    }
    if (s.length() > maxLength) {
      throw ApiException.invalid(path(name), "must be at most " + maxLength + " characters");
    }
    if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw ApiException.invalid(path(name), "must not contain control characters");
    }
    return s;
  }

  /** A string that may be blank or hold line breaks (passwords, certificates), still length-bounded. */
  public String optText(String name, int maxLength) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw ApiException.invalid(path(name), "must be a string, was " + type(v));
    }
    if (s.length() > maxLength) {
      throw ApiException.invalid(path(name), "must be at most " + maxLength + " characters");
    }
    return s;
  }

  public long integer(String name, long min, long max) {
    Long v = optInteger(name, min, max);
    if (v == null) {
      throw ApiException.missing(path(name));
    }
    return v;
  }

  public Long optInteger(String name, long min, long max) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    String problem = "must be an integer between " + min + " and " + max;
    long value;
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      value = ((Number) v).longValue();
    } else if (v instanceof BigInteger big && big.bitLength() < 64) {
      value = big.longValue();
    } else {
      throw ApiException.invalid(path(name), problem);
    }
    if (value < min || value > max) {
      throw ApiException.invalid(path(name), problem);
    }
    return value;
  }

  public Boolean optBool(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean b)) {
      throw ApiException.invalid(path(name), "must be true or false, was " + type(v));
    }
    return b;
  }

  /** One of {@code allowed} (exact, lower case as the API spells them). */
  public String optChoice(String name, List<String> allowed) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || !allowed.contains(s)) {
      throw ApiException.invalid(path(name), "must be one of " + String.join(", ", allowed));
    }
    return s;
  }

  public Body object(String name, Set<String> allowed) {
    Object v = json.getValue(name);
    if (v == null) {
      throw ApiException.missing(path(name));
    }
    if (!(v instanceof JsonObject o)) {
      throw ApiException.invalid(path(name), "must be an object, was " + type(v));
    }
    return new Body(o, path(name), allowed);
  }

  /** A list of strings, each checked by {@code item}; null when absent. */
  public List<String> optStrings(String name, int maxItems, ItemCheck item) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray array)) {
      throw ApiException.invalid(path(name), "must be an array of strings, was " + type(v));
    }
    if (array.size() > maxItems) {
      throw ApiException.invalid(path(name), "must hold at most " + maxItems + " items");
    }
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String at = path(name) + "[" + i + "]";
      if (!(array.getValue(i) instanceof String s)) {
        throw ApiException.invalid(at, "must be a string");
      }
      item.check(at, s);
      out.add(s);
    }
    return out;
  }

  /** An object of string values, keys and values each checked by {@code item}; null when absent. */
  public Map<String, String> optStringMap(String name, int maxItems, ItemCheck item) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw ApiException.invalid(path(name), "must be an object of strings, was " + type(v));
    }
    if (o.size() > maxItems) {
      throw ApiException.invalid(path(name), "must hold at most " + maxItems + " entries");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : o.fieldNames()) {
      String at = path(name) + "." + key;
      item.check(path(name) + " key", key);
      if (!(o.getValue(key) instanceof String s)) {
        throw ApiException.invalid(at, "must be a string");
      }
      item.check(at, s);
      out.put(key, s);
    }
    return out;
  }

  /** Validates one item; throws {@link ApiException} naming {@code field}. */
  @FunctionalInterface
  public interface ItemCheck {
    void check(String field, String value);
  }

  static String type(Object v) {
    if (v instanceof String) {
      return "a string";
    } else if (v instanceof Boolean) {
      return "a boolean";
    } else if (v instanceof Number) {
      return "a number";
    } else if (v instanceof JsonObject) {
      return "an object";
    } else if (v instanceof JsonArray) {
      return "an array";
    }
    return "something else";
  }
}
