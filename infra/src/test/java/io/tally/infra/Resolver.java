package io.tally.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.assertions.Template;

/**
 * A synthesized template deployed in the mind: every {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Join},
 * {@code Fn::Sub}, {@code Fn::Select} and {@code Fn::Split} becomes the string CloudFormation would make of it
 * in account {@link #ACCOUNT}, region {@link #REGION}, with each resource's physical name derived from its
 * logical id as CloudFormation derives it from the stack name, so the policies can be evaluated by {@link Iam}.
 */
final class Resolver {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "eu-west-1";

    private final Map<String, Object> resources;
    private final String stackName;

    @SuppressWarnings("unchecked")
    Resolver(Template template, String stackName) {
        this.resources = (Map<String, Object>) template.toJSON().get("Resources");
        this.stackName = stackName;
    }

    /** A resource's physical name: its explicit name property resolved, or one CloudFormation would make. */
    String physicalName(String id) {
        Map<String, Object> props = properties(id);
        for (String p : List.of("BucketName", "QueueName", "TopicName", "Name", "FunctionName", "LogGroupName")) {
            if (props.containsKey(p)) {
                return resolve(props.get(p)).toString();
            }
        }
        String generated = (stackName + "-" + id).toLowerCase(Locale.ROOT);
        return type(id).equals("AWS::S3::Bucket") ? generated.replaceAll("[^a-z0-9-]", "-") : stackName + "-" + id;
    }

    String type(String id) {
        return String.valueOf(resource(id).get("Type"));
    }

    String arn(String id) {
        String name = physicalName(id);
        return switch (type(id)) {
            case "AWS::S3::Bucket" -> "arn:aws:s3:::" + name;
            case "AWS::SQS::Queue" -> "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name;
            case "AWS::SNS::Topic" -> "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + name;
            case "AWS::KMS::Key" -> "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + id;
            case "AWS::Logs::LogGroup" -> "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:" + name + ":*";
            case "AWS::Lambda::Function" -> "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name;
            case "AWS::IAM::Role" -> "arn:aws:iam::" + ACCOUNT + ":role/" + name;
            case "AWS::Events::Rule" -> "arn:aws:events:" + REGION + ":" + ACCOUNT + ":rule/" + name;
            case "AWS::Glue::Job" -> "arn:aws:glue:" + REGION + ":" + ACCOUNT + ":job/" + name;
            case "AWS::CloudWatch::Alarm" -> "arn:aws:cloudwatch:" + REGION + ":" + ACCOUNT + ":alarm:" + name;
            default -> "arn:aws:unknown:" + REGION + ":" + ACCOUNT + ":" + name;
        };
    }

    /** What {@code Ref} gives for the resource. */
    String ref(String id) {
        return switch (type(id)) {
            case "AWS::SQS::Queue" -> "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + physicalName(id);
            case "AWS::SNS::Topic", "AWS::Lambda::Alias" -> arn(id);
            case "AWS::KMS::Key" -> id;
            default -> physicalName(id);
        };
    }

    /** The value with every intrinsic function worked out. */
    Object resolve(Object value) {
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(resolve(v)));
            return out;
        }
        if (!(value instanceof Map<?, ?> map)) {
            return value;
        }
        if (map.size() == 1) {
            Map.Entry<?, ?> e = map.entrySet().iterator().next();
            String fn = e.getKey().toString();
            Object arg = e.getValue();
            switch (fn) {
                case "Ref":
                    return refOf(arg.toString());
                case "Fn::GetAtt": {
                    List<?> a = (List<?>) arg;
                    return getAtt(a.get(0).toString(), a.get(1).toString());
                }
                case "Fn::Join": {
                    List<?> a = (List<?>) arg;
                    return join(a.get(0).toString(), (List<?>) resolve(a.get(1)));
                }
                case "Fn::Sub":
                    return sub(arg instanceof List<?> l ? l.get(0).toString() : arg.toString());
                case "Fn::Select": {
                    List<?> a = (List<?>) arg;
                    List<?> from = (List<?>) resolve(a.get(1));
                    int i = Integer.parseInt(resolve(a.get(0)).toString());
                    // A part of something this resolver only names (an asset parameter): a placeholder.
                    return i < from.size() ? from.get(i) : "part" + i;
                }
                case "Fn::Split": {
                    List<?> a = (List<?>) arg;
                    return List.of(resolve(a.get(1))
                            .toString()
                            .split(Pattern.quote(a.get(0).toString()), -1));
                }
                default:
                    break;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k.toString(), resolve(v)));
        return out;
    }

    private static String join(String separator, List<?> parts) {
        List<String> s = new ArrayList<>();
        parts.forEach(p -> s.add(String.valueOf(p)));
        return String.join(separator, s);
    }

    private String refOf(String name) {
        return switch (name) {
            case "AWS::Partition" -> "aws";
            case "AWS::Region" -> REGION;
            case "AWS::AccountId" -> ACCOUNT;
            case "AWS::StackName" -> stackName;
            case "AWS::URLSuffix" -> "amazonaws.com";
            default -> resources.containsKey(name) ? ref(name) : "param-" + name;
        };
    }

    private String getAtt(String id, String attribute) {
        return switch (attribute) {
            case "Arn" -> arn(id);
            case "QueueName", "TopicName" -> physicalName(id);
            case "Version" -> "1";
            default -> arn(id) + "/" + attribute;
        };
    }

    private String sub(String text) {
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v = name.contains(".")
                    ? getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1))
                    : refOf(name);
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> resource(String id) {
        Object r = resources.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no resource " + id);
        }
        return (Map<String, Object>) r;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> properties(String id) {
        return (Map<String, Object>) resource(id).getOrDefault("Properties", Map.of());
    }

    /** Every statement of the role's own policies: its inline policies and the AWS::IAM::Policy attached to it. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> roleStatements(String roleId) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> role = properties(roleId);
        for (Object p : (List<Object>) role.getOrDefault("Policies", List.of())) {
            out.addAll(statements(((Map<String, Object>) p).get("PolicyDocument")));
        }
        resources.forEach((id, r) -> {
            Map<String, Object> res = (Map<String, Object>) r;
            if ("AWS::IAM::Policy".equals(res.get("Type"))) {
                Map<String, Object> props = (Map<String, Object>) res.get("Properties");
                if (((List<Object>) props.getOrDefault("Roles", List.of())).contains(Map.of("Ref", roleId))) {
                    out.addAll(statements(props.get("PolicyDocument")));
                }
            }
        });
        return out;
    }

    /** The statements of a policy document, resolved. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> statements(Object document) {
        Map<String, Object> doc = (Map<String, Object>) resolve(document);
        Object st = doc.get("Statement");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object s : st instanceof List<?> l ? l : List.of(st)) {
            out.add((Map<String, Object>) s);
        }
        return out;
    }

    /** The logical ids of every resource of {@code type}. */
    @SuppressWarnings("unchecked")
    List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        resources.forEach((id, r) -> {
            if (type.equals(((Map<String, Object>) r).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }
}
