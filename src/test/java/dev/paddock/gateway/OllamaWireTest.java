package dev.paddock.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Ollama's shapes in and out, field by field: what llama-server is sent, and how its answer reads in Ollama's. */
class OllamaWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void aChatWithOptionsImagesToolsAndHistoryBecomesLlamaServersChat() throws Exception {
        String png =
                java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        JsonNode req = json("{'model':'qwen2.5vl:7b','stream':false,'format':'json','think':false,"
                + "'options':{'temperature':0.2,'num_predict':64,'num_ctx':8192,'top_k':20,'stop':['\\n\\n'],"
                + "'repeat_penalty':1.1,'seed':7},"
                + "'tools':[{'type':'function','function':{'name':'get_weather','parameters':{'type':'object'}}}],"
                + "'messages':[{'role':'user','content':'what is this?','images':['" + png + "']},"
                + "{'role':'assistant','content':'','tool_calls':[{'function':{'name':'get_weather',"
                + "'arguments':{'city':'Lyon'}}}]},{'role':'tool','content':'12 C'}]}");

        JsonNode out = OllamaWire.chat(req, false);

        assertThat(out.path("stream").asBoolean()).isFalse();
        assertThat(out.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(out.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(out.has("num_ctx"))
                .as("a server's context is fixed when it starts")
                .isFalse();
        assertThat(out.path("top_k").asInt()).isEqualTo(20);
        assertThat(out.path("stop").get(0).asText()).isEqualTo("\n\n");
        assertThat(out.path("repeat_penalty").asDouble()).isEqualTo(1.1);
        assertThat(out.path("seed").asInt()).isEqualTo(7);
        assertThat(out.path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(out.path("chat_template_kwargs").path("enable_thinking").asBoolean(true))
                .isFalse();
        assertThat(out.path("tools").get(0).path("function").path("name").asText())
                .isEqualTo("get_weather");
        JsonNode user = out.path("messages").get(0);
        assertThat(user.path("content").get(0).path("text").asText()).isEqualTo("what is this?");
        assertThat(user.path("content").get(1).path("image_url").path("url").asText())
                .isEqualTo("data:image/png;base64," + png);
        JsonNode call = out.path("messages").get(1).path("tool_calls").get(0);
        assertThat(call.path("id").asText()).isEqualTo("call_0");
        assertThat(call.path("function").path("arguments").asText())
                .as("OpenAI's arguments are a JSON string")
                .isEqualTo("{\"city\":\"Lyon\"}");
        assertThat(out.path("messages").get(2).path("tool_call_id").asText()).isEqualTo("call_0");
    }

    @Test
    void aSchemaFormatAndAGenerateWithASystemPrompt() throws Exception {
        JsonNode out = OllamaWire.generate(
                json("{'model':'m','prompt':'Name a colour','system':'Be brief',"
                        + "'format':{'type':'object','properties':{'colour':{'type':'string'}}},"
                        + "'options':{'num_predict':-1}}"),
                true);
        assertThat(out.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(out.path("messages").get(1).path("content").asText()).isEqualTo("Name a colour");
        assertThat(out.has("max_tokens")).as("-1: as long as it takes").isFalse();
        assertThat(out.path("response_format")
                        .path("json_schema")
                        .path("schema")
                        .path("type")
                        .asText())
                .isEqualTo("object");
        JsonNode raw = OllamaWire.rawCompletion(json("{'prompt':'abc','options':{'num_predict':4}}"), true);
        assertThat(raw.path("prompt").asText()).isEqualTo("abc");
        assertThat(raw.path("n_predict").asInt()).isEqualTo(4);
    }

    @Test
    void toolCallsComeBackWithArgumentsAsObjects() throws Exception {
        JsonNode back = OllamaWire.toolCalls(json("[{'id':'x','type':'function','function':{'name':'get_weather',"
                + "'arguments':'{\\'city\\':\\'Lyon\\'}'}}]".replace("\\'", "\\\"")));
        assertThat(back.get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(back.get(0).path("function").path("arguments").path("city").asText())
                .isEqualTo("Lyon");
        assertThat(OllamaWire.doneReason("tool_calls")).isEqualTo("stop");
        assertThat(OllamaWire.doneReason("length")).isEqualTo("length");
    }

    @Test
    void keepAliveReadsAsOllamaReadsIt() throws Exception {
        assertThat(OllamaWire.keepAlive(json("'5m'"))).isEqualTo(Duration.ofMinutes(5));
        assertThat(OllamaWire.keepAlive(json("'1h30m'"))).isEqualTo(Duration.ofMinutes(90));
        assertThat(OllamaWire.keepAlive(json("'300ms'"))).isEqualTo(Duration.ofMillis(300));
        assertThat(OllamaWire.keepAlive(json("30"))).isEqualTo(Duration.ofSeconds(30));
        assertThat(OllamaWire.keepAlive(json("'0'"))).isZero();
        assertThat(OllamaWire.keepAlive(json("0"))).isZero();
        assertThat(OllamaWire.keepAlive(json("-1"))).isNegative();
        assertThat(OllamaWire.keepAlive(json("'-1m'"))).isNegative();
        assertThat(OllamaWire.keepAlive(null)).isNull();
        assertThatThrownBy(() -> OllamaWire.keepAlive(json("'forever'")))
                .hasMessageContaining("keep_alive 'forever' is not a duration");
    }

    @Test
    void theFiguresAreNanosecondsAndTokensFromTheTimings() throws Exception {
        var out = JSON.createObjectNode();
        OllamaWire.figures(
                out,
                json("{'cache_n':3,'prompt_n':5,'prompt_ms':12.5,'predicted_n':8,'predicted_ms':40.0}"),
                90_000_000L,
                20_000_000L);
        assertThat(out.path("prompt_eval_count").asInt()).isEqualTo(8);
        assertThat(out.path("prompt_eval_duration").asLong()).isEqualTo(12_500_000L);
        assertThat(out.path("eval_count").asInt()).isEqualTo(8);
        assertThat(out.path("eval_duration").asLong()).isEqualTo(40_000_000L);
        assertThat(out.path("total_duration").asLong()).isEqualTo(90_000_000L);
        assertThat(out.path("load_duration").asLong()).isEqualTo(20_000_000L);
    }
}
