/**
 * The kernel every capability may use: the one JSON configuration Warden prints with ({@link
 * dev.warden.config.Json}), the version ({@link dev.warden.config.Version}), and validated access
 * to a configuration section that names the bad key in its errors ({@link
 * dev.warden.config.ConfigNode}, {@link dev.warden.config.ConfigException}). It depends on nothing
 * else in Warden.
 */
package dev.warden.config;
