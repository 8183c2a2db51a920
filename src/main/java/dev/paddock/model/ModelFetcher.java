package dev.paddock.model;

import dev.paddock.core.PaddockException;

/**
 * Gets a Hugging Face model that is not downloaded yet. Identifier resolution calls this when {@code h:} names a
 * model the store does not have; the pull client plugs in here.
 */
@FunctionalInterface
public interface ModelFetcher {
    LocalModel fetch(HubRef ref) throws PaddockException;

    /** A model from Ollama's registry that is not on this machine yet; by default none can be had. */
    default LocalModel fetch(OllamaRef ref) throws PaddockException {
        throw new PaddockException(
                dev.paddock.core.ErrorCode.MODEL_NOT_FOUND,
                "model o:" + ref + " is not on this machine; pull it first with 'paddock pull o:" + ref + "'");
    }

    /** Refuses every fetch: the model must already be in the store. */
    static ModelFetcher none() {
        return ref -> {
            throw new PaddockException(
                    dev.paddock.core.ErrorCode.MODEL_NOT_FOUND,
                    "model h:" + ref + " is not downloaded; download it first with 'paddock pull h:" + ref + "'");
        };
    }
}
